package io.entrenar.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.entrenar.events.SyscallAggregate;
import io.entrenar.events.SyscallCategory;
import io.entrenar.events.SyscallCount;
import io.entrenar.tracking.LamportClock;
import io.entrenar.tracking.Run;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * Streams JFR events of this JVM (file and socket reads and writes, GC pauses, allocation samples,
 * thread parks, monitor waits and enters, CPU load) and folds them into per-interval counters by
 * (category, operation, target): one SyscallAggregate per interval instead of one event per call.
 */
final class JfrAggregator implements AutoCloseable {
    private record Key(SyscallCategory category, String operation, String target) {
    }

    private static final class Counter {
        long count;
        long bytes;
        long totalMicros;
        long maxMicros;
    }

    private final Run run;
    private final LamportClock lamport;
    private final ResourceSampler resources;
    private final RecordingStream stream;
    private Map<Key, Counter> counters = new HashMap<>();
    private long intervalStartMicros = nowMicros();
    private long firstStep = -1;

    JfrAggregator(Run run, LamportClock lamport, ResourceSampler resources, long ioThresholdMs, long waitThresholdMs, long intervalMs) {
        this.run = run;
        this.lamport = lamport;
        this.resources = resources;
        this.stream = new RecordingStream();
        Duration io = Duration.ofMillis(ioThresholdMs);
        Duration wait = Duration.ofMillis(waitThresholdMs);
        // No stack traces: the aggregates key on path, host or class, so walking the stack of the
        // recording thread (often the training thread) at every event would buy nothing.
        stream.enable("jdk.FileRead").withThreshold(io).withoutStackTrace();
        stream.enable("jdk.FileWrite").withThreshold(io).withoutStackTrace();
        stream.enable("jdk.SocketRead").withThreshold(io).withoutStackTrace();
        stream.enable("jdk.SocketWrite").withThreshold(io).withoutStackTrace();
        stream.enable("jdk.GarbageCollection").withoutStackTrace();
        stream.enable("jdk.ObjectAllocationSample").with("throttle", "100/s").withoutStackTrace();
        stream.enable("jdk.ThreadPark").withThreshold(wait).withoutStackTrace();
        stream.enable("jdk.JavaMonitorWait").withThreshold(wait).withoutStackTrace();
        stream.enable("jdk.JavaMonitorEnter").withThreshold(wait).withoutStackTrace();
        stream.enable("jdk.CPULoad").withPeriod(Duration.ofMillis(intervalMs));
        stream.onEvent("jdk.FileRead", e -> add(SyscallCategory.FILE_IO, "file_read", str(e, "path"), e.getLong("bytesRead"), e));
        stream.onEvent("jdk.FileWrite", e -> add(SyscallCategory.FILE_IO, "file_write", str(e, "path"), e.getLong("bytesWritten"), e));
        stream.onEvent("jdk.SocketRead", e -> add(SyscallCategory.SOCKET_IO, "socket_read", e.getString("host") + ":" + e.getInt("port"), e.getLong("bytesRead"), e));
        stream.onEvent("jdk.SocketWrite", e -> add(SyscallCategory.SOCKET_IO, "socket_write", e.getString("host") + ":" + e.getInt("port"), e.getLong("bytesWritten"), e));
        stream.onEvent("jdk.GarbageCollection", e -> add(SyscallCategory.GC, "gc_pause", e.getString("name"), 0,
                e.getDuration("sumOfPauses").toNanos() / 1000));
        stream.onEvent("jdk.ObjectAllocationSample", e -> {
            if (!isOwnThread(e)) {
                add(SyscallCategory.ALLOCATION, "allocation_sample", null, e.getLong("weight"), 0);
            }
        });
        stream.onEvent("jdk.ThreadPark", e -> add(SyscallCategory.THREAD_PARK, "thread_park", null, 0, e));
        stream.onEvent("jdk.JavaMonitorWait", e -> add(SyscallCategory.MONITOR, "monitor_wait", className(e), 0, e));
        stream.onEvent("jdk.JavaMonitorEnter", e -> add(SyscallCategory.MONITOR, "monitor_enter", className(e), 0, e));
        stream.onEvent("jdk.CPULoad", e -> resources.cpuLoad(e.getFloat("jvmUser") + e.getFloat("jvmSystem"), e.getFloat("machineTotal")));
        stream.setReuse(true);
        // startAsync's thread is not a daemon and would keep the program alive after main returns
        Thread t = new Thread(stream::start, "entrenar-agent-jfr");
        t.setDaemon(true);
        t.start();
    }

    /** The counters of the interval that just ended, or null when nothing happened. */
    SyscallAggregate drain() {
        Map<Key, Counter> done;
        long start;
        long first;
        synchronized (this) {
            done = counters;
            counters = new HashMap<>();
            start = intervalStartMicros;
            intervalStartMicros = nowMicros();
            first = firstStep;
            firstStep = run.lastStep();
        }
        if (done.isEmpty()) {
            return null;
        }
        List<SyscallCount> entries = new ArrayList<>(done.size());
        done.forEach((k, c) -> entries.add(SyscallCount.newBuilder().setCategory(k.category()).setOperation(k.operation())
                .setTarget(k.target()).setCount(c.count).setBytes(c.bytes).setTotalDurationMicros(c.totalMicros)
                .setMaxDurationMicros(c.maxMicros).build()));
        long end = nowMicros();
        long last = run.lastStep();
        return SyscallAggregate.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(run.id())
                .setTsMicros(Instant.ofEpochSecond(0, end * 1000)).setLamport(lamport.tick())
                .setIntervalStartMicros(start).setIntervalEndMicros(end)
                .setFirstStep(first >= 0 ? Long.valueOf(first) : last >= 0 ? Long.valueOf(last) : null)
                .setLastStep(last >= 0 ? Long.valueOf(last) : null)
                .setEntries(entries).build();
    }

    /**
     * Stops recording and waits until the events recorded so far reach the handlers (JFR hands
     * them over about once a second). RecordingStream.stop() exists from JDK 20; on 17 the last
     * second of events is lost.
     */
    void stopAndFlush() {
        try {
            RecordingStream.class.getMethod("stop").invoke(stream);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // JDK 17-19
        }
    }

    @Override
    public void close() {
        stream.close();
    }

    private void add(SyscallCategory cat, String op, String target, long bytes, RecordedEvent e) {
        if (isOwnThread(e)) {
            return;
        }
        add(cat, op, target, bytes, e.getDuration().toNanos() / 1000);
    }

    /**
     * The tracker's own threads (drain, control, sampler, JFR reader, its producer's network thread)
     * park, wait and write to the broker for the program's telemetry: counting that would report
     * the agent's I/O as the training's.
     */
    private static boolean isOwnThread(RecordedEvent e) {
        RecordedThread t = e.getThread();
        String name = t == null ? null : t.getJavaName();
        return name != null && (name.startsWith("entrenar-") || name.contains("| entrenar-tracker-"));
    }

    private synchronized void add(SyscallCategory cat, String op, String target, long bytes, long micros) {
        Counter c = counters.computeIfAbsent(new Key(cat, op, target), k -> new Counter());
        c.count++;
        c.bytes += Math.max(0, bytes);
        c.totalMicros += micros;
        c.maxMicros = Math.max(c.maxMicros, micros);
    }

    private static String str(RecordedEvent e, String field) {
        return Objects.toString(e.getValue(field), null);
    }

    private static String className(RecordedEvent e) {
        var c = e.getClass("monitorClass");
        return c == null ? null : c.getName();
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
