package io.entrenar.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A {@code key=value} configuration file merged with {@code ENTRENAR_*} environment overrides and
 * the caller's own overrides (command-line options, the agent argument), checked against a
 * component's {@link ConfigDef} before anything starts. Every error names where the bad value came
 * from: file and line, environment variable, or option; unknown keys get a "did you mean".
 * Shared by the command line and the {@code -javaagent}.
 */
public final class ConfigFile {
    public static final String ENV_PREFIX = "ENTRENAR_";
    private static final Pattern KEY_IN_KAFKA_MESSAGE = Pattern.compile("configuration ([^\\s:]+)");

    private final String source;
    private final Map<String, String> values;
    private final Map<String, Integer> lines;
    /** Keys the last {@link #resolve} took from its overrides. */
    private Set<String> overridden = Set.of();

    private ConfigFile(String source, Map<String, String> values, Map<String, Integer> lines) {
        this.source = source;
        this.values = values;
        this.lines = lines;
    }

    /** No file: defaults plus environment variables and overrides. */
    public static ConfigFile empty() {
        return new ConfigFile("(no config file)", new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    public static ConfigFile load(Path path) {
        List<String> text;
        try {
            text = Files.readAllLines(path);
        } catch (IOException e) {
            throw new InvalidConfigException(path + ": cannot read the config file: " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i).strip();
            int lineNo = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int sep = separator(line);
            if (sep <= 0) {
                throw new InvalidConfigException(path + ":" + lineNo + ": expected key=value, found '" + line + "'");
            }
            String key = line.substring(0, sep).strip();
            String value = line.substring(sep + 1).strip();
            if (lines.containsKey(key)) {
                throw new InvalidConfigException(path + ":" + lineNo + ": " + key + " is already set on line " + lines.get(key));
            }
            values.put(key, value);
            lines.put(key, lineNo);
        }
        return new ConfigFile(path.toString(), values, lines);
    }

    /**
     * The effective settings: file values, then {@code ENTRENAR_<KEY>} environment variables (dots and
     * dashes as underscores), then the caller's {@code overrides} (command-line options, the agent
     * argument). Unknown file keys fail.
     */
    public Map<String, Object> resolve(ConfigDef def, Set<String> dynamicPrefixes, Map<String, String> env, Map<String, ?> overrides) {
        for (String key : values.keySet()) {
            boolean known = def.names().contains(key) || dynamicPrefixes.stream().anyMatch(key::startsWith);
            if (!known) {
                throw new InvalidConfigException(where(key) + ": unknown key " + key + DidYouMean.suggest(key, def.names()));
            }
        }
        Map<String, Object> resolved = new LinkedHashMap<>(values);
        for (String key : def.names()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                resolved.put(key, fromEnv);
            }
        }
        // Keys under a pass-through prefix (e.g. processors.http.port) are not defined here; their
        // variables (ENTRENAR_PROCESSORS_HTTP_PORT) map back with underscores read as dots.
        for (String prefix : dynamicPrefixes) {
            String envPrefix = envName(prefix);
            env.forEach((name, value) -> {
                if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
                    String key = prefix + name.substring(envPrefix.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.');
                    if (!def.names().contains(key)) {
                        resolved.put(key, value);
                    }
                }
            });
        }
        Set<String> fromOverrides = new java.util.HashSet<>();
        overrides.forEach((k, v) -> {
            if (v != null) {
                resolved.put(k, v);
                fromOverrides.add(k);
            }
        });
        overridden = fromOverrides;
        return resolved;
    }

    /** {@link #explain(ConfigException, Map, String)} for a command whose overrides are its options. */
    public InvalidConfigException explain(ConfigException e, Map<String, String> env) {
        return explain(e, env, "command-line option");
    }

    /**
     * Rewrites a Kafka {@link ConfigException} so that it points at what caused it: the override
     * (named {@code overridesLabel}, e.g. "agent argument"), the environment variable, or the file's line.
     */
    public InvalidConfigException explain(ConfigException e, Map<String, String> env, String overridesLabel) {
        Matcher m = KEY_IN_KAFKA_MESSAGE.matcher(String.valueOf(e.getMessage()));
        String key = m.find() ? m.group(1) : null;
        String place;
        if (key != null && overridden.contains(key)) {
            place = overridesLabel;
        } else if (key != null && env.containsKey(envName(key))) {
            place = "environment variable " + envName(key);
        } else if (key != null && lines.containsKey(key)) {
            place = where(key);
        } else {
            place = source;
        }
        return new InvalidConfigException(place + ": " + e.getMessage());
    }

    /**
     * The whole path from a command's options to a validated config object: file (optional), then
     * environment, then options, then the component's constructor; errors point at file and line.
     */
    public static <C> C resolveConfig(Path file, ConfigDef def, Set<String> dynamicPrefixes, Map<String, ?> options,
                                      java.util.function.Function<Map<String, Object>, C> create) {
        ConfigFile config = file == null ? empty() : load(file);
        Map<String, String> env = System.getenv();
        Map<String, Object> settings = config.resolve(def, dynamicPrefixes, env, options);
        try {
            return create.apply(settings);
        } catch (ConfigException e) {
            throw config.explain(e, env);
        }
    }

    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private String where(String key) {
        return source + ":" + lines.get(key);
    }

    private static int separator(CharSequence line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }

    /** A configuration error, already phrased for the user with file and line. */
    public static final class InvalidConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidConfigException(String message) {
            super(message);
        }
    }
}
