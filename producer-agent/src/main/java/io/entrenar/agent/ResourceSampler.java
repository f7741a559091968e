package io.entrenar.agent;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import io.entrenar.events.ResourceSample;
import io.entrenar.tracking.LamportClock;
import io.entrenar.tracking.RaplMeter;
import io.entrenar.tracking.Run;

/** JVM and host resources of the run at one instant (spec 11, 22), from MXBeans, /proc and RAPL. */
final class ResourceSampler {
    private final Run run;
    private final LamportClock lamport;
    private final RaplMeter rapl;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final long gcCountAtStart;
    private final long gcMillisAtStart;
    private volatile double jfrProcessCpu = Double.NaN;
    private volatile double jfrMachineCpu = Double.NaN;
    private long lastAllocatedBytes = -1;
    private long lastNanos;
    private double peakHeapMb;

    ResourceSampler(Run run, LamportClock lamport, RaplMeter rapl) {
        this.run = run;
        this.lamport = lamport;
        this.rapl = rapl;
        this.gcCountAtStart = gcCount();
        this.gcMillisAtStart = gcMillis();
    }

    /** CPU load as JFR's jdk.CPULoad reports it (preferred over the MXBean when JFR runs). */
    void cpuLoad(double process, double machine) {
        jfrProcessCpu = process;
        jfrMachineCpu = machine;
    }

    ResourceSample sample() {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        double process = jfrProcessCpu;
        double machine = jfrMachineCpu;
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            if (Double.isNaN(process)) {
                process = sun.getProcessCpuLoad();
            }
            if (Double.isNaN(machine)) {
                machine = sun.getCpuLoad();
            }
        }
        Double allocRate = allocationRate();
        Double energy = rapl == null ? null : rapl.sample();
        Double watts = rapl == null ? null : rapl.watts();
        peakHeapMb = Math.max(peakHeapMb, heap.getUsed() / 1048576.0);
        long now = System.currentTimeMillis();
        return ResourceSample.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(run.id())
                .setTsMicros(Instant.ofEpochMilli(now)).setLamport(lamport.tick())
                .setStep(run.lastStep() >= 0 ? run.lastStep() : null)
                .setProcessCpuLoad(clamp(process)).setMachineCpuLoad(clamp(machine))
                .setHeapUsedBytes(heap.getUsed()).setHeapCommittedBytes(heap.getCommitted()).setHeapMaxBytes(heap.getMax())
                .setNonHeapUsedBytes(nonHeap.getUsed()).setRssBytes(rss())
                .setThreadCount(ManagementFactory.getThreadMXBean().getThreadCount())
                .setGcCount(gcCount() - gcCountAtStart).setGcPauseMicros((gcMillis() - gcMillisAtStart) * 1000)
                .setAllocationRateBytesPerSec(allocRate).setPowerWatts(watts).setEnergyJoules(energy).build();
    }

    double peakHeapMb() {
        return peakHeapMb;
    }

    Double energyJoules() {
        return rapl == null ? null : rapl.sample();
    }

    private Double allocationRate() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)) {
            return null;
        }
        // live threads only (JDK 17 has no total that includes dead ones)
        long total = 0;
        for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, b);
        }
        long now = System.nanoTime();
        Double rate = null;
        if (total >= 0 && lastAllocatedBytes >= 0 && now > lastNanos) {
            rate = (total - lastAllocatedBytes) / ((now - lastNanos) / 1e9);
        }
        lastAllocatedBytes = total;
        lastNanos = now;
        return rate;
    }

    private static double clamp(double v) {
        return Double.isNaN(v) || v < 0 ? 0 : Math.min(1, v);
    }

    private static Long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return null;
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }
}
