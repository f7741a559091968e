package io.entrenar.cli.watch;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

import io.entrenar.cli.view.Glyphs;
import io.entrenar.sink.engine.Engine;

/**
 * The {@code runs watch} loop: read a snapshot, draw it, wait for a key or the refresh interval.
 * Keys: {@code q} quits, {@code p} pauses and resumes the display (the run keeps training; use
 * {@code entrenar runs pause} to pause the run), {@code s} writes the frame as text to a file,
 * {@code g} promotes the run to golden ({@link Golden}).
 */
public final class Watcher {
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** What the loop needs; {@code promote} publishes the golden promotion and returns where it went. */
    public record Settings(String database, String processorsUrl, Duration refresh, Glyphs glyphs, boolean once,
                           boolean plain, Path screenshotDir, Function<String, String> promote) {
    }

    private Watcher() {
    }

    /** Watches {@code runId} until q (interactive), until it finishes (not interactive), or after one frame ({@code once}). */
    public static int watch(Engine engine, String runId, Settings settings, PrintWriter out) throws InterruptedException {
        try (WatchSource source = new WatchSource(engine, settings.database(), settings.processorsUrl());
             TerminalScreen screen = TerminalScreen.open(out, settings.plain() || settings.once())) {
            boolean paused = false;
            String status = "";
            Snapshot snapshot = null;
            List<String> frame;
            while (true) {
                int width = screen.width();
                if (!paused || snapshot == null) {
                    snapshot = read(source, runId, Dashboard.MAX_SPARK, snapshot);
                }
                frame = Dashboard.render(snapshot, width, settings.glyphs(), paused, status);
                screen.draw(frame);
                if (settings.once() || !screen.interactive() && snapshot.run() != null && snapshot.run().finished()) {
                    return 0;
                }
                Integer key = screen.nextKey(settings.refresh());
                if (key == null) {
                    continue;
                }
                switch (Character.toLowerCase((char) key.intValue())) {
                    case 'q' -> {
                        return 0;
                    }
                    case 'p' -> {
                        paused = !paused;
                        status = paused ? "display paused (the run keeps training)" : "";
                    }
                    case 's' -> status = screenshot(frame, runId, settings.screenshotDir());
                    case 'g' -> status = promote(settings, runId);
                    default -> {
                    }
                }
            }
        }
    }

    private static Snapshot read(WatchSource source, String runId, int points, Snapshot previous) throws InterruptedException {
        try {
            return source.read(runId, points);
        } catch (RuntimeException e) {
            // Keep drawing through a restarting stack: the last frame, with what went wrong.
            String note = "cannot read: " + WatchSource.describe(e);
            if (previous == null) {
                return new Snapshot(null, false, List.of(), null, null, List.of(), List.of(), Instant.now(), List.of(note));
            }
            return new Snapshot(previous.run(), previous.golden(), previous.metrics(), previous.progress(), previous.resources(),
                    previous.io(), previous.openAlerts(), previous.takenAt(), List.of(note));
        }
    }

    static String screenshot(List<String> frame, String runId, Path dir) {
        Path file = dir.resolve("entrenar-watch-" + Dashboard.shortId(runId).replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                + FILE_TIME.format(Instant.now()) + ".txt");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, String.join("\n", frame) + "\n");
            return "screenshot: " + file.toAbsolutePath().normalize();
        } catch (IOException e) {
            return "screenshot failed: " + e.getMessage();
        }
    }

    private static String promote(Settings settings, String runId) {
        try {
            return "promoted to golden: " + settings.promote().apply(runId);
        } catch (RuntimeException e) {
            return "promotion failed: " + e.getMessage();
        }
    }
}
