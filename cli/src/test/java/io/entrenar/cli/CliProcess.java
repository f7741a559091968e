package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code entrenar} CLI as a user runs it: a separate JVM on the test classpath, its stdout read
 * line by line, stopped with Ctrl+C (SIGINT).
 */
final class CliProcess implements AutoCloseable {
    final Process process;
    final List<String> output = new ArrayList<>();
    private final BufferedReader stdout;

    private CliProcess(Process process) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code entrenar ARGS} with {@code env} added, and waits until it prints {@code ready}. */
    static CliProcess start(Map<String, String> env, String ready, String... args) throws IOException {
        return start(null, env, ready, args);
    }

    /** As {@link #start(Map, String, String...)}, with stderr (the logs) appended to {@code log} unless it is null. */
    static CliProcess start(Path log, Map<String, String> env, String ready, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Entrenar.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        CliProcess p = new CliProcess(builder.start());
        p.readUntil(ready);
        return p;
    }

    /** The first group of {@code pattern} in the output so far, or null. */
    String find(Pattern pattern) {
        List<String> lines;
        synchronized (output) {
            lines = new ArrayList<>(output);
        }
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** Keeps reading stdout on a daemon thread, so that a long-running process never blocks on a full pipe. */
    void drainInBackground() {
        Thread.ofPlatform().daemon().name("cli-stdout-" + process.pid()).start(() -> {
            try {
                String line;
                while ((line = stdout.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    /** Sends SIGINT, reads until {@code marker}, waits for the exit; returns the lines printed meanwhile. */
    List<String> stop(String marker) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        int from = output.size();
        readUntil(marker);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the process stops within 30 s of Ctrl+C");
        return output.subList(from, output.size());
    }

    private void readUntil(String marker) throws IOException {
        String line;
        while ((line = stdout.readLine()) != null) {
            output.add(line);
            if (line.equals(marker)) {
                return;
            }
        }
        throw new AssertionError("the process ended before printing '" + marker + "': " + output);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
