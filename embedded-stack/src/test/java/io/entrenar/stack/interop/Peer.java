package io.entrenar.stack.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrenar.stack.events.NormalizedJson;

/** A peer program nobody here wrote the client library of, run as a subprocess (interop/README.md). */
final class Peer {
    static final Path ROOT = repositoryRoot();
    static final String PYTHON = "/usr/bin/python3";

    private Peer() {
    }

    /** Runs {@code command} in the repository root; returns stdout lines parsed as JSON. */
    static List<JsonNode> runJsonLines(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run(command, timeoutSeconds).split("\n")) {
            if (!line.isBlank()) {
                lines.add(NormalizedJson.MAPPER.readTree(line));
            }
        }
        return lines;
    }

    static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path err = Files.createTempFile("peer", ".err");
        Process p = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("peer timed out: " + command);
        }
        String stderr = Files.readString(err);
        Files.delete(err);
        if (p.exitValue() != 0) {
            throw new AssertionError("peer exited with " + p.exitValue() + ": " + String.join(" ", command) + "\n" + stderr);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The peers are installed by scripts/setup.sh, which ./entrenar test runs first. */
    static void requireInstalled() throws IOException, InterruptedException {
        List<String> missing = new ArrayList<>();
        if (new ProcessBuilder(PYTHON, "-c", "import confluent_kafka.avro, avro, requests").start().waitFor() != 0) {
            missing.add("python3-confluent-kafka / python3-avro / python3-requests");
        }
        if (!Files.isDirectory(ROOT.resolve("interop/node/node_modules/@kafkajs/confluent-schema-registry"))) {
            missing.add("interop/node/node_modules");
        }
        if (new ProcessBuilder("sh", "-c", "command -v kcat").start().waitFor() != 0) {
            missing.add("kcat");
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("interop peers missing: " + missing + " (run scripts/setup.sh; ./entrenar test does)");
        }
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("interop"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no interop/ directory above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
