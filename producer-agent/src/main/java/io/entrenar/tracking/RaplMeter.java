package io.entrenar.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Package energy from Intel RAPL counters under /sys/class/powercap, when the kernel exposes them
 * and they are readable (often root-only). Counters wrap at max_energy_range_uj. Used by the agent's
 * resource samples and by each run's {@link RunFootprint}.
 */
public final class RaplMeter {
    private final List<Path> zones;
    private final long[] last;
    private final long[] range;
    private double joules;
    private long lastNanos;
    private double lastWatts;

    private RaplMeter(List<Path> zones) {
        this.zones = zones;
        this.last = new long[zones.size()];
        this.range = new long[zones.size()];
        for (int i = 0; i < zones.size(); i++) {
            last[i] = read(zones.get(i).resolve("energy_uj"));
            long r = read(zones.get(i).resolve("max_energy_range_uj"));
            range[i] = r > 0 ? r : Long.MAX_VALUE;
        }
        lastNanos = System.nanoTime();
    }

    /** A meter over the readable top-level RAPL packages, or null when there are none. */
    public static RaplMeter open() {
        return open(Path.of("/sys/class/powercap"));
    }

    /** The same over another powercap root (a test's). */
    static RaplMeter open(Path root) {
        if (!Files.isDirectory(root)) {
            return null;
        }
        List<Path> zones = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path z : s.sorted().toList()) {
                String n = z.getFileName().toString();
                // top-level packages only (intel-rapl:0), not their sub-zones (intel-rapl:0:0)
                if (n.matches("intel-rapl:\\d+") && read(z.resolve("energy_uj")) >= 0) {
                    zones.add(z);
                }
            }
        } catch (IOException e) {
            return null;
        }
        return zones.isEmpty() ? null : new RaplMeter(zones);
    }

    /** Updates and returns the energy used since the meter opened, in joules. */
    public synchronized double sample() {
        long now = System.nanoTime();
        double delta = 0;
        for (int i = 0; i < zones.size(); i++) {
            long v = read(zones.get(i).resolve("energy_uj"));
            if (v < 0) {
                continue;
            }
            long d = v >= last[i] ? v - last[i] : range[i] - last[i] + v;
            delta += d / 1e6;
            last[i] = v;
        }
        joules += delta;
        double secs = (now - lastNanos) / 1e9;
        lastWatts = secs > 0 ? delta / secs : 0;
        lastNanos = now;
        return joules;
    }

    public synchronized double watts() {
        return lastWatts;
    }

    private static long read(Path p) {
        try {
            return Long.parseLong(Files.readString(p).strip());
        } catch (IOException | NumberFormatException | SecurityException e) {
            return -1;
        }
    }
}
