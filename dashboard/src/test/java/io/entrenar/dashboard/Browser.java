package io.entrenar.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one scenario of {@code dashboard/web/test/browser.mjs} (Playwright driving Debian's Chromium
 * headless) and hands its "event key=value ..." lines to the test as they come, so a test can act
 * (log points) between two lines of the same browser session.
 */
final class Browser implements AutoCloseable {
    static final Path WEB = Path.of(System.getProperty("entrenar.dashboard.web", "web")).toAbsolutePath();
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("ENTRENAR_CHROMIUM", "/usr/bin/chromium"));

    record Line(String event, Map<String, String> fields) {
        String get(String key) {
            String v = fields.get(key);
            if (v == null) {
                throw new AssertionError("no " + key + " in " + this);
            }
            return v;
        }
    }

    private final Process process;
    private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private static final Object END = new Object();

    private Browser(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(parse(l));
                }
            } catch (IOException e) {
                // process ended
            } finally {
                lines.add(END);
            }
        });
        Thread.ofPlatform().daemon().start(() -> {
            try {
                String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (stderr) {
                    stderr.append(err);
                }
            } catch (IOException e) {
                // process ended
            }
        });
    }

    /** The driver next to Chromium and node: missing only when setup has not run, which is an error, not a skip. */
    static void requireDriver() {
        if (!Files.isDirectory(WEB.resolve("node_modules/playwright-core"))) {
            throw new IllegalStateException("no playwright-core in " + WEB + "/node_modules: run ./entrenar setup "
                    + "(npm ci in dashboard/web)");
        }
    }

    /** Why the browser tests cannot run on this machine (no Chromium or no node), or null. */
    static String missing() {
        if (!Files.isExecutable(CHROMIUM)) {
            return "no Chromium at " + CHROMIUM + " (scripts/setup.sh installs Debian's chromium)";
        }
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? null : "node does not run";
        } catch (IOException e) {
            return "no node on PATH";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    static Browser run(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("node", "test/browser.mjs"));
        cmd.addAll(List.of(args));
        return new Browser(new ProcessBuilder(cmd).directory(WEB.toFile()).start());
    }

    /** The next line whose event is {@code event} (page errors fail the test), waiting up to {@code seconds}. */
    Line next(String event, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Object o = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (o == null) {
                throw new AssertionError("no '" + event + "' from the browser within " + seconds + " s; stderr: " + stderr());
            }
            if (o == END) {
                lines.add(END);
                throw new AssertionError("the browser script ended before '" + event + "' (exit "
                        + exit() + "); stderr: " + stderr());
            }
            Line line = (Line) o;
            if (line.event().equals("pageerror")) {
                throw new AssertionError("JavaScript error in the page: " + line.fields());
            }
            if (line.event().equals(event)) {
                return line;
            }
        }
    }

    /** Every remaining line with {@code event}, after the script ended. */
    List<Line> rest(String event, long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the browser script did not end within " + seconds + " s; stderr: " + stderr());
        }
        List<Line> out = new ArrayList<>();
        while (true) {
            Object o = lines.poll(5, TimeUnit.SECONDS);
            if (o == null || o == END) {
                break;
            }
            Line line = (Line) o;
            if (line.event().equals("pageerror")) {
                throw new AssertionError("JavaScript error in the page: " + line.fields());
            }
            if (line.event().equals(event)) {
                out.add(line);
            }
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("the browser script failed (exit " + process.exitValue() + "): " + stderr());
        }
        return out;
    }

    private String exit() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    static Line parse(String line) {
        String[] parts = line.split(" ");
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
        }
        return new Line(parts[0], fields);
    }

    @Override
    public void close() {
        process.destroy();
    }
}
