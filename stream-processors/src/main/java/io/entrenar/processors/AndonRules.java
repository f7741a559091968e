package io.entrenar.processors;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The Andon rule set: built-in defaults, or a YAML file of the shape
 * <pre>
 * rules:
 *   - name: nan_guard
 *     type: non_finite
 *     severity: critical
 *     action: emergency_stop
 * </pre>
 * Every mistake (unknown key, wrong type, bad value, duplicate name) fails with the file, line and column.
 */
record AndonRules(List<AndonRule> rules) {
    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    AndonRules {
        rules = List.copyOf(rules);
    }

    /** Rules used when no file is configured: everything but drift, which needs a baseline. */
    static AndonRules defaults() {
        return new AndonRules(List.of(
                new AndonRule.NonFinite("non_finite", null, null, null, null),
                new AndonRule.Divergence("divergence", null, null, null, null, null, null, null),
                new AndonRule.Stall("stall", null, null, null, null),
                new AndonRule.Plateau("plateau", null, null, null, null, null, null, null),
                new AndonRule.PlanOverrun("plan_overrun", null, null, null, null),
                new AndonRule.FailureEvent("failure", null, null, "See the failure's remediation.", null)));
    }

    static AndonRules load(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InvalidAndonRulesException(file + ": the Andon rules file does not exist");
        } catch (IOException e) {
            throw new InvalidAndonRulesException(file + ": cannot read the Andon rules file: " + e.getMessage());
        }
    }

    static AndonRules parse(String source, String yaml) {
        try {
            return parse(source, yaml, new StringReader(yaml));
        } catch (IOException e) {
            throw new InvalidAndonRulesException(source + ": " + e.getMessage());
        }
    }

    private static AndonRules parse(String source, String text, Reader reader) throws IOException {
        try (JsonParser p = YAML.createParser(reader)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new InvalidAndonRulesException(source + ": the file is empty; expected 'rules:' with a list of rules");
            }
            expect(source, p, t == JsonToken.START_OBJECT, "expected a mapping with the key 'rules'");
            List<AndonRule> rules = new ArrayList<>();
            Map<String, Integer> lines = new HashMap<>();
            boolean seenRules = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                expect(source, p, "rules".equals(field), "unknown key '" + field + "'; the only top-level key is 'rules'");
                seenRules = true;
                expect(source, p, p.nextToken() == JsonToken.START_ARRAY, "'rules' must be a list of rules");
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    int line = p.currentLocation().getLineNr();
                    AndonRule rule;
                    try {
                        rule = YAML.readValue(p, AndonRule.class);
                    } catch (UnrecognizedPropertyException e) {
                        // Jackson reports where it stopped reading, after the value: point at the key instead.
                        int keyLine = lineOfKey(text, line, e.getPropertyName());
                        throw new InvalidAndonRulesException(source + ":" + keyLine + ": unknown key '" + e.getPropertyName()
                                + "' in rule; known keys: " + String.join(", ", knownKeys(e)));
                    } catch (JsonProcessingException e) {
                        if (e.getCause() instanceof IllegalArgumentException invalid) {
                            // Checked after the whole rule was read: point at the key the message names, else at the rule.
                            String firstWord = invalid.getMessage().split(" ", 2)[0];
                            throw new InvalidAndonRulesException(source + ":" + lineOfKey(text, line, firstWord) + ": " + invalid.getMessage());
                        }
                        throw new InvalidAndonRulesException(at(source, e.getLocation()) + describe(e));
                    }
                    Integer previous = lines.putIfAbsent(rule.name(), line);
                    if (previous != null) {
                        throw new InvalidAndonRulesException(source + ":" + line + ": duplicate rule name '" + rule.name()
                                + "', first used on line " + previous);
                    }
                    rules.add(rule);
                }
                expect(source, p, p.currentToken() == JsonToken.END_ARRAY, "each rule must be a mapping (name:, type:, ...)");
            }
            expect(source, p, seenRules, "missing the key 'rules'");
            return new AndonRules(rules);
        } catch (JsonProcessingException e) {
            throw new InvalidAndonRulesException(at(source, e.getLocation()) + describe(e));
        }
    }

    private static int lineOfKey(String text, int fromLine, String key) {
        if (!key.matches("[a-z_]+")) {
            return fromLine;
        }
        String[] lines = text.split("\\R", -1);
        java.util.regex.Pattern keyPattern = java.util.regex.Pattern.compile("(^|[\\s{,-])" + java.util.regex.Pattern.quote(key) + "\\s*:");
        for (int i = Math.max(0, fromLine - 1); i < lines.length; i++) {
            if (keyPattern.matcher(lines[i]).find()) {
                return i + 1;
            }
        }
        return fromLine;
    }

    private static List<String> knownKeys(UnrecognizedPropertyException e) {
        List<String> keys = new ArrayList<>();
        if (e.getKnownPropertyIds() != null) {
            e.getKnownPropertyIds().forEach(k -> keys.add(String.valueOf(k)));
        }
        keys.add("type");
        keys.sort(null);
        return keys;
    }

    private static void expect(String source, JsonParser p, boolean ok, String message) {
        if (!ok) {
            throw new InvalidAndonRulesException(at(source, p.currentLocation()) + message);
        }
    }

    private static String at(String source, JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return source + ": ";
        }
        return source + ":" + location.getLineNr() + ":" + location.getColumnNr() + ": ";
    }

    private static String describe(JsonProcessingException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException) {
            return cause.getMessage();
        }
        String message = e.getOriginalMessage();
        if (message != null && message.contains("missing type id property 'type'")) {
            return "every rule needs a type: non_finite, divergence, stall, plateau, plan_overrun, drift or failure";
        }
        if (message != null && message.contains("Could not resolve type id")) {
            return message.replaceAll("(?s) as a subtype of .*", "") + "; known types: non_finite, divergence, stall, plateau, plan_overrun, drift, failure";
        }
        return message == null ? e.toString() : message.replaceAll("(?s)\\s*\\(class [^)]*\\)", "")
                .replaceAll("(?s), not marked as ignorable.*", "");
    }

    /** A rules file that cannot be used; the message names the file, line and column. */
    static final class InvalidAndonRulesException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidAndonRulesException(String message) {
            super(message);
        }
    }
}
