package io.entrenar.trainer.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Pins every resolved parameter of a config (defaults and environment overrides included) so that a
 * later run refuses to start when anything drifted (scenario 60). The file is sorted
 * {@code key=value} lines: readable in a diff and stable under re-locking.
 */
public final class Lockfile {
    /** Not pinned: where the lock lives, and where this run's events go. */
    private static final List<String> UNPINNED = List.of("lockfile", "strict", "monitoring.events");

    private Lockfile() {
    }

    /** Writes (atomically) the lockfile for {@code config} at {@code file}; returns the file. */
    public static Path write(TrainingConfig config, Path file) {
        StringBuilder text = new StringBuilder("# entrenar lockfile: resolved parameters of ")
                .append(config.source().getFileName()).append("; a run refuses to start when they drift\n");
        pinned(config.params()).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".lock", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write lockfile " + file, e);
        }
    }

    static SortedMap<String, String> read(Path file) {
        SortedMap<String, String> locked = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                locked.put(eq < 0 ? line : line.substring(0, eq), eq < 0 ? "" : line.substring(eq + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lockfile " + file, e);
        }
        return locked;
    }

    /** Every parameter whose value differs from the lockfile, or that only one side has. */
    public static List<ConfigError> drift(TrainingConfig config) {
        SortedMap<String, String> locked = read(config.lockfile());
        SortedMap<String, String> now = pinned(config.params());
        List<ConfigError> drift = new ArrayList<>();
        String origin = config.lockfile().toString();
        for (Map.Entry<String, String> e : now.entrySet()) {
            String was = locked.get(e.getKey());
            if (was == null) {
                drift.add(new ConfigError(origin, 0, 0, e.getKey(), "not in the lockfile (config has " + e.getValue()
                        + "); re-lock with entrenar validate --lock"));
            } else if (!was.equals(e.getValue())) {
                drift.add(new ConfigError(origin, 0, 0, e.getKey(), "drifted from the lockfile: locked " + was
                        + ", config now " + e.getValue()));
            }
        }
        locked.keySet().stream().filter(k -> !now.containsKey(k)).forEach(k -> drift.add(new ConfigError(origin, 0, 0,
                k, "locked " + locked.get(k) + " but no longer in the config")));
        return drift;
    }

    private static SortedMap<String, String> pinned(SortedMap<String, String> params) {
        SortedMap<String, String> pinned = new TreeMap<>(params);
        UNPINNED.forEach(pinned::remove);
        return pinned;
    }
}
