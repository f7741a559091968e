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
    private static final ObjectMapper JSON = new ObjectMapper();

    private Events() {
    }

    static List<JsonNode> read(Path file) {
        try {
            List<JsonNode> events = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                events.add(JSON.readTree(line));
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
