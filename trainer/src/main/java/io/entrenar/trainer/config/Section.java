package io.entrenar.trainer.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrenar.config.DidYouMean;

/**
 * Typed reads from one YAML mapping. Every problem is added to the shared error list (nothing
 * throws), so that one validation pass reports all mistakes; every value read, default or not, is
 * recorded in the resolved parameter map under {@code prefix.key}.
 */
final class Section {
    private final YamlTree tree;
    private final JsonNode node;
    private final String prefix;
    private final List<ConfigError> errors;
    private final SortedMap<String, String> params;

    Section(YamlTree tree, JsonNode node, String prefix, Set<String> keys, List<ConfigError> errors,
            SortedMap<String, String> params) {
        this.tree = tree;
        this.node = node;
        this.prefix = prefix;
        this.errors = errors;
        this.params = params;
        if (node != null && node.isObject()) {
            node.fieldNames().forEachRemaining(k -> {
                if (!keys.contains(k)) {
                    errors.add(tree.keyError(node, k, path(k), "unknown key" + DidYouMean.suggest(k, keys)));
                }
            });
        }
    }

    boolean present() {
        return node != null && node.isObject();
    }

    boolean has(String key) {
        return present() && node.has(key) && !node.get(key).isNull();
    }

    JsonNode raw(String key) {
        return present() ? node.get(key) : null;
    }

    String path(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    void error(String key, String message) {
        JsonNode at = raw(key);
        errors.add(at != null ? tree.error(at, path(key), message) : tree.error(node, path(key), message));
    }

    Section child(String key, Set<String> keys) {
        JsonNode child = raw(key);
        if (child != null && !child.isObject() && !child.isNull()) {
            errors.add(tree.error(child, path(key), "expected a mapping (key: value lines), got " + kind(child)));
            child = null;
        }
        return new Section(tree, child, path(key), keys, errors, params);
    }

    long integer(String key, long defaultValue, long min, long max) {
        JsonNode v = raw(key);
        long value = defaultValue;
        if (v != null && !v.isNull()) {
            if (v.isIntegralNumber()) {
                value = v.longValue();
            } else if (v.isTextual() && v.asText().trim().matches("[-+]?\\d+")) {
                value = Long.parseLong(v.asText().trim().replace("+", ""));
            } else {
                errors.add(tree.error(v, path(key), "expected an integer, got " + kind(v)));
                return record(key, defaultValue);
            }
            if (value < min || value > max) {
                errors.add(tree.error(v, path(key), "must be between " + min + " and " + max + ", got " + value));
            }
        }
        return record(key, value);
    }

    double number(String key, double defaultValue, double min, double max, boolean minExclusive) {
        JsonNode v = raw(key);
        double value = defaultValue;
        if (v != null && !v.isNull()) {
            if (v.isNumber()) {
                value = v.doubleValue();
            } else if (v.isTextual() && parsesAsDouble(v.asText())) {
                // YAML 1.1 reads 1e-4 (no dot) as a string.
                value = Double.parseDouble(v.asText().trim());
            } else {
                errors.add(tree.error(v, path(key), "expected a number, got " + kind(v)));
                return recordDouble(key, defaultValue);
            }
            boolean low = minExclusive ? !(value > min) : !(value >= min);
            if (low || !(value <= max) || Double.isNaN(value)) {
                errors.add(tree.error(v, path(key), "must be " + (minExclusive ? "> " : ">= ") + fmt(min)
                        + " and <= " + fmt(max) + ", got " + fmt(value)));
            }
        }
        return recordDouble(key, value);
    }

    boolean bool(String key, boolean defaultValue) {
        JsonNode v = raw(key);
        boolean value = defaultValue;
        if (v != null && !v.isNull()) {
            if (v.isBoolean()) {
                value = v.booleanValue();
            } else if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
                value = Boolean.parseBoolean(v.asText());
            } else {
                errors.add(tree.error(v, path(key), "expected true or false, got " + kind(v)));
            }
        }
        params.put(path(key), String.valueOf(value));
        return value;
    }

    String text(String key, String defaultValue) {
        JsonNode v = raw(key);
        String value = defaultValue;
        if (v != null && !v.isNull()) {
            if (v.isValueNode() && !v.isBoolean()) {
                value = v.asText();
            } else {
                errors.add(tree.error(v, path(key), "expected text, got " + kind(v)));
            }
        }
        if (value != null) {
            params.put(path(key), value);
        }
        return value;
    }

    <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        JsonNode v = raw(key);
        E value = defaultValue;
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        if (v != null && !v.isNull()) {
            String given = v.asText().trim().toLowerCase(Locale.ROOT);
            if (!v.isTextual() || !names.contains(given)) {
                errors.add(tree.error(v, path(key), "'" + v.asText() + "' is not one of " + String.join("|", names)
                        + (v.isTextual() ? DidYouMean.suggest(given, names).replaceFirst("; known: .*", "") : "")));
            } else {
                value = Enum.valueOf(type, given.toUpperCase(Locale.ROOT));
            }
        }
        if (value != null) {
            params.put(path(key), value.name().toLowerCase(Locale.ROOT));
        }
        return value;
    }

    List<Integer> intList(String key, List<Integer> defaultValue, int min, int max) {
        JsonNode v = raw(key);
        List<Integer> value = defaultValue;
        if (v != null && !v.isNull()) {
            if (v.isIntegralNumber()) {
                value = List.of(v.intValue());
            } else if (v.isArray()) {
                List<Integer> read = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    JsonNode e = v.get(i);
                    if (!e.isIntegralNumber() || e.longValue() < min || e.longValue() > max) {
                        errors.add(tree.error(e, path(key) + "[" + i + "]", "expected an integer between " + min
                                + " and " + max + ", got " + kind(e)));
                    } else {
                        read.add(e.intValue());
                    }
                }
                value = read;
            } else {
                errors.add(tree.error(v, path(key), "expected a list of integers like [128, 64], got " + kind(v)));
            }
        }
        params.put(path(key), value.toString());
        return value;
    }

    List<String> textList(String key) {
        JsonNode v = raw(key);
        List<String> value = new ArrayList<>();
        if (v != null && !v.isNull()) {
            if (v.isArray()) {
                v.forEach(e -> value.add(e.asText()));
            } else if (v.isTextual()) {
                value.add(v.asText());
            } else {
                errors.add(tree.error(v, path(key), "expected a list of names, got " + kind(v)));
            }
            params.put(path(key), value.toString());
        }
        return value;
    }

    private long record(String key, long value) {
        params.put(path(key), Long.toString(value));
        return value;
    }

    private double recordDouble(String key, double value) {
        params.put(path(key), fmt(value));
        return value;
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static boolean parsesAsDouble(String s) {
        try {
            Double.parseDouble(s.trim());
            return !s.trim().isEmpty() && !s.trim().matches("(?i).*(nan|infinity).*");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String kind(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isTextual()) {
            return "'" + v.asText() + "'";
        }
        return v.asText();
    }
}
