package io.entrenar.alerting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A YAML file as a JSON tree that remembers the line of every node, so that a validation error can
 * say {@code routes.yaml:14: channels.oncall.timeout: ...} instead of only what is wrong.
 */
final class YamlDocument {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String source;
    private final JsonNode root;
    private final Map<JsonNode, Integer> lines;

    private YamlDocument(String source, JsonNode root, Map<JsonNode, Integer> lines) {
        this.source = source;
        this.root = root;
        this.lines = lines;
    }

    static YamlDocument load(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new InvalidConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    static YamlDocument parse(String source, String text) {
        Map<JsonNode, Integer> lines = new java.util.IdentityHashMap<>();
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            JsonNode root = first == null ? NODES.objectNode() : read(parser, lines);
            return new YamlDocument(source, root, lines);
        } catch (InvalidConfigException e) {
            throw new InvalidConfigException(source + ":" + e.getMessage());
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InvalidConfigException(source + ":" + line + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidConfigException(source + ": cannot parse: " + e.getMessage());
        }
    }

    JsonNode root() {
        return root;
    }

    /** An error about {@code node}, phrased with the file and the node's line. */
    InvalidConfigException error(JsonNode node, String path, String message) {
        Integer line = node == null ? null : lines.get(node);
        return new InvalidConfigException(source + (line == null ? "" : ":" + line) + ": " + path + ": " + message);
    }

    private static JsonNode read(JsonParser parser, Map<JsonNode, Integer> lines) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonNode node = switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                Map<String, Integer> seen = new HashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    Integer first = seen.putIfAbsent(name, keyLine);
                    if (first != null) {
                        throw new InvalidConfigException(keyLine + ": duplicate key '" + name + "' (first on line " + first + ")");
                    }
                    parser.nextToken();
                    object.set(name, read(parser, lines));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser, lines));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> NODES.numberNode(parser.getLongValue());
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new InvalidConfigException(line + ": unexpected " + parser.currentToken());
        };
        lines.put(node, line);
        return node;
    }
}
