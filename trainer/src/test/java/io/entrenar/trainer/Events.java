package io.entrenar.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads what {@code JsonLinesListener} wrote, for assertions. */
final class Events {
    /** Strict: a line with anything after its object (a stray '}') fails the test that reads it. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Events() {
    }

    static List<JsonNode> read(Path file) {
        try {
            List<JsonNode> events = new ArrayList<>();
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                try {
                    events.add(JSON.readTree(lines.get(i)));
                } catch (IOException e) {
                    throw new AssertionError(file + " line " + (i + 1) + " is not one JSON object: " + lines.get(i), e);
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The complete lines of a file another process is still writing (a buffer may end mid-line). */
    static List<JsonNode> readWhileWritten(Path file) {
        try {
            String text = Files.readString(file);
            List<JsonNode> events = new ArrayList<>();
            for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
                if (!line.isEmpty()) {
                    events.add(JSON.readTree(line));
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> of(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.get("event").asText().equals(type)).toList();
    }

    /** The metric series with what legitimately differs between runs (time, ids, paths) removed. */
    static List<String> series(List<JsonNode> events) {
        return events.stream().filter(e -> e.get("event").asText().matches("step|epoch")).map(e -> {
            ObjectNode copy = ((ObjectNode) e).deepCopy();
            copy.remove("ts_micros");
            copy.remove("run_id");
            return copy.toString();
        }).toList();
    }
}
