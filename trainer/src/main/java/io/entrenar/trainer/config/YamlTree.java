package io.entrenar.trainer.config;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A YAML document as a JSON tree that remembers where every value and every key sits (line and
 * column from Jackson's YAML parser), so that each error can point at its spot in the file.
 */
final class YamlTree {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final YAMLFactory YAML = new YAMLFactory();

    record Position(int line, int column) {
        static final Position NONE = new Position(0, 0);
    }

    private final Map<JsonNode, Position> values = new IdentityHashMap<>();
    /** Key positions, by (parent object, key). */
    private final Map<JsonNode, Map<String, Position>> keys = new IdentityHashMap<>();
    /** Values that did not come from the file (environment overrides, sweep trials), with their origin. */
    private final Map<JsonNode, String> foreign = new IdentityHashMap<>();

    final String origin;
    final JsonNode root;

    private YamlTree(String origin, String text) throws IOException {
        this.origin = origin;
        try (JsonParser parser = YAML.createParser(text)) {
            this.root = parser.nextToken() == null ? NODES.objectNode() : read(parser);
        }
    }

    private YamlTree(YamlTree copyOf, JsonNode root) {
        this.origin = copyOf.origin;
        this.root = root;
    }

    /** Parses; a syntax error becomes a single located {@link ConfigError}. */
    static YamlTree parse(String origin, String text) {
        try {
            return new YamlTree(origin, text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidTrainingConfigException(java.util.List.of(new ConfigError(origin,
                    at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), "(yaml)",
                    "not valid YAML: " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new InvalidTrainingConfigException(java.util.List.of(
                    new ConfigError(origin, 0, 0, "(file)", "cannot parse: " + e.getMessage())));
        }
    }

    /** Parses a single YAML scalar or flow value (an environment override or a sweep value). */
    static JsonNode value(String text) {
        try (JsonParser parser = YAML.createParser(text)) {
            return parser.nextToken() == null ? NODES.nullNode() : new YamlTree("value", text).root;
        } catch (IOException e) {
            return NODES.textNode(text);
        }
    }

    /** A deep copy whose positions still resolve for untouched nodes. */
    YamlTree copy() {
        YamlTree copy = new YamlTree(this, root.deepCopy());
        copy.mapPositions(root, copy.root, this);
        return copy;
    }

    private void mapPositions(JsonNode from, JsonNode to, YamlTree source) {
        Position p = source.values.get(from);
        if (p != null) {
            values.put(to, p);
        }
        if (source.foreign.containsKey(from)) {
            foreign.put(to, source.foreign.get(from));
        }
        if (source.keys.containsKey(from)) {
            keys.put(to, source.keys.get(from));
        }
        if (from.isObject()) {
            from.fieldNames().forEachRemaining(k -> mapPositions(from.get(k), to.get(k), source));
        } else if (from.isArray()) {
            for (int i = 0; i < from.size(); i++) {
                mapPositions(from.get(i), to.get(i), source);
            }
        }
    }

    /** Replaces or creates {@code section.key} (or a top-level key) with a value from {@code origin}. */
    void set(String dottedPath, JsonNode value, String valueOrigin) {
        String[] parts = dottedPath.split("\\.");
        ObjectNode parent = (ObjectNode) root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = parent.get(parts[i]);
            if (child == null || !child.isObject()) {
                ObjectNode created = NODES.objectNode();
                parent.set(parts[i], created);
                foreign.put(created, valueOrigin);
                child = created;
            }
            parent = (ObjectNode) child;
        }
        parent.set(parts[parts.length - 1], value);
        markForeign(value, valueOrigin);
    }

    private void markForeign(JsonNode node, String valueOrigin) {
        foreign.put(node, valueOrigin);
        node.elements().forEachRemaining(child -> markForeign(child, valueOrigin));
    }

    ConfigError error(JsonNode node, String path, String message) {
        String f = node == null ? null : foreign.get(node);
        if (f != null) {
            return new ConfigError(f, 0, 0, path, message);
        }
        Position p = node == null ? null : values.get(node);
        p = p == null ? Position.NONE : p;
        return new ConfigError(origin, p.line(), p.column(), path, message);
    }

    ConfigError keyError(JsonNode parent, String key, String path, String message) {
        Position p = keys.getOrDefault(parent, Map.of()).get(key);
        if (p == null) {
            return error(parent.get(key), path, message);
        }
        String f = foreign.get(parent.get(key));
        return f != null ? new ConfigError(f, 0, 0, path, message)
                : new ConfigError(origin, p.line(), p.column(), path, message);
    }

    private JsonNode read(JsonParser parser) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        Position position = new Position(at.getLineNr(), at.getColumnNr());
        JsonNode node = switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                Map<String, Position> keyPositions = new java.util.HashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonLocation k = parser.currentTokenLocation();
                    Position kp = new Position(k.getLineNr(), k.getColumnNr());
                    Position first = keyPositions.putIfAbsent(name, kp);
                    parser.nextToken();
                    JsonNode child = read(parser);
                    if (first != null) {
                        throw new InvalidTrainingConfigException(java.util.List.of(new ConfigError(origin,
                                kp.line(), kp.column(), name, "duplicate key (first at line " + first.line() + ")")));
                    }
                    object.set(name, child);
                }
                keys.put(object, keyPositions);
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser));
                }
                yield array;
            }
            // Fresh instances, never Jackson's shared singletons (TRUE, NULL, ""): positions are kept by identity.
            case VALUE_STRING -> new TextNode(parser.getText());
            case VALUE_NUMBER_INT -> new LongNode(parser.getLongValue());
            case VALUE_NUMBER_FLOAT -> new DoubleNode(parser.getDoubleValue());
            case VALUE_TRUE -> new BooleanNode(true) { };
            case VALUE_FALSE -> new BooleanNode(false) { };
            case VALUE_NULL -> new NullNode() { };
            default -> new TextNode(parser.getText());
        };
        values.put(node, position);
        return node;
    }
}
