package io.entrenar.tracking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.entrenar.events.CpuInfo;
import io.entrenar.events.Device;
import io.entrenar.events.DeviceType;
import io.entrenar.events.GpuInfo;
import io.entrenar.events.SimdCapability;

/**
 * Introspects the compute device (spec 22.1): /proc/cpuinfo, /proc/meminfo, and nvidia-smi when
 * present; once per JVM (the machine does not change under a process, and nvidia-smi is a fork).
 */
public final class DeviceProbe {
    private static volatile Device detected;

    private DeviceProbe() {
    }

    /** This machine's device, for {@link RunBuilder#device}. */
    public static Device detect() {
        Device d = detected;
        if (d == null) {
            d = probe();
            detected = d;
        }
        return Device.newBuilder(d).build();
    }

    private static Device probe() {
        String model = null;
        Set<String> flags = new HashSet<>();
        Set<String> cores = new HashSet<>();
        int threads = 0;
        String physical = "0";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String k = line.substring(0, colon).strip();
                String v = line.substring(colon + 1).strip();
                switch (k) {
                    case "processor" -> threads++;
                    case "model name" -> model = model == null ? v : model;
                    case "physical id" -> physical = v;
                    case "core id" -> cores.add(physical + "/" + v);
                    case "flags", "Features" -> flags.addAll(List.of(v.split("\\s+")));
                    default -> { }
                }
            }
        } catch (IOException e) {
            threads = Runtime.getRuntime().availableProcessors();
        }
        if (threads == 0) {
            threads = Runtime.getRuntime().availableProcessors();
        }
        CpuInfo cpu = CpuInfo.newBuilder().setCores(cores.isEmpty() ? threads : cores.size()).setThreads(threads)
                .setSimd(simd(flags)).setMemoryBytes(memTotal()).build();
        GpuInfo gpu = nvidiaGpu();
        return Device.newBuilder().setType(gpu != null ? DeviceType.GPU : DeviceType.CPU)
                .setModel(model == null ? System.getProperty("os.arch") : model).setCpu(cpu).setGpu(gpu).build();
    }

    static SimdCapability simd(Set<String> flags) {
        if (flags.contains("avx512f")) {
            return SimdCapability.AVX512;
        }
        if (flags.contains("avx2")) {
            return SimdCapability.AVX2;
        }
        if (flags.contains("sse4_2")) {
            return SimdCapability.SSE42;
        }
        if (flags.contains("sve")) {
            return SimdCapability.SVE;
        }
        if (flags.contains("asimd") || flags.contains("neon")) {
            return SimdCapability.NEON;
        }
        return SimdCapability.NONE;
    }

    private static Long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return null;
    }

    /** First GPU from nvidia-smi, or null when there is none (or no driver). */
    private static GpuInfo nvidiaGpu() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=memory.total,compute_cap", "--format=csv,noheader,nounits")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).toList();
            if (p.exitValue() != 0 || lines.isEmpty()) {
                return null;
            }
            String[] f = lines.get(0).split(",");
            String cc = f.length > 1 ? f[1].strip() : null;
            boolean tensor = cc != null && cc.matches("\\d+(\\.\\d+)?") && Double.parseDouble(cc) >= 7.0;
            return GpuInfo.newBuilder().setVramGb(Float.parseFloat(f[0].strip()) / 1024f).setComputeCapability(cc)
                    .setTensorCores(tensor).setCount(lines.size()).build();
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
