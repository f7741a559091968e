package io.entrenar.agent;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.entrenar.config.ConfigFile;
import io.entrenar.config.DidYouMean;
import io.entrenar.tracking.TrackerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the {@code -javaagent}: the tracker's keys plus the agent's own. Sources, later ones
 * winning: the file named by {@code config=} (or {@code ENTRENAR_AGENT_CONFIG}), {@code ENTRENAR_*}
 * environment variables, then the agent argument {@code key=value,key=value}.
 */
public final class AgentConfig extends AbstractConfig {
    public static final String EXPERIMENT_CONFIG = "agent.experiment";
    private static final String EXPERIMENT_DOC = "Experiment of the automatic run; empty = the main class's simple name.";

    public static final String RUN_NAME_CONFIG = "agent.run.name";
    private static final String RUN_NAME_DOC = "Name of the automatic run; empty = the main class's simple name (or the jar's), "
            + "never the arguments, which may hold secrets.";

    public static final String INTERVAL_MS_CONFIG = "agent.interval.ms";
    private static final String INTERVAL_MS_DOC = "Period of resource samples and of the JFR syscall/IO aggregates.";

    public static final String JFR_CONFIG = "agent.jfr";
    private static final String JFR_DOC = "Stream JFR events (file/socket IO, GC, allocation samples, thread park, monitors, CPU load).";

    public static final String JFR_IO_THRESHOLD_MS_CONFIG = "agent.jfr.io.threshold.ms";
    private static final String JFR_IO_THRESHOLD_MS_DOC = "Shortest file/socket read or write JFR records; 0 records every call (more overhead).";

    public static final String JFR_WAIT_THRESHOLD_MS_CONFIG = "agent.jfr.wait.threshold.ms";
    private static final String JFR_WAIT_THRESHOLD_MS_DOC = "Shortest thread park or monitor wait/enter JFR records.";

    public static final String OTLP_ENDPOINT_CONFIG = "agent.otlp.endpoint";
    private static final String OTLP_ENDPOINT_DOC = "Also export the run's OpenTelemetry spans over OTLP/HTTP (protobuf) to this "
            + "URL, e.g. http://localhost:4318/v1/traces (an OpenTelemetry Collector, Jaeger, Tempo); empty = off. "
            + "Spans always go to entrenar.spans.v1.";

    public static final String CONFIG_FILE = "config";

    private static final ConfigDef CONFIG = TrackerConfig.configDef()
            .define(EXPERIMENT_CONFIG, Type.STRING, "", Importance.MEDIUM, EXPERIMENT_DOC)
            .define(RUN_NAME_CONFIG, Type.STRING, "", Importance.MEDIUM, RUN_NAME_DOC)
            .define(INTERVAL_MS_CONFIG, Type.LONG, 1000L, ConfigDef.Range.between(50, 3_600_000), Importance.MEDIUM, INTERVAL_MS_DOC)
            .define(JFR_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, JFR_DOC)
            .define(JFR_IO_THRESHOLD_MS_CONFIG, Type.LONG, 1L, ConfigDef.Range.atLeast(0), Importance.LOW, JFR_IO_THRESHOLD_MS_DOC)
            .define(JFR_WAIT_THRESHOLD_MS_CONFIG, Type.LONG, 10L, ConfigDef.Range.atLeast(0), Importance.LOW, JFR_WAIT_THRESHOLD_MS_DOC)
            .define(OTLP_ENDPOINT_CONFIG, Type.STRING, "", new OtlpEndpoint(), Importance.LOW, OTLP_ENDPOINT_DOC);

    /** An empty string (off) or an absolute http(s) URL. */
    private static final class OtlpEndpoint implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String v = value == null ? "" : value.toString();
            if (v.isEmpty()) {
                return;
            }
            try {
                java.net.URI uri = new java.net.URI(v);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new ConfigException(name, v, "must be an http:// or https:// URL such as http://localhost:4318/v1/traces");
                }
            } catch (java.net.URISyntaxException e) {
                throw new ConfigException(name, v, "is not a URL: " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "empty or an http(s) URL";
        }
    }

    /** Keys passed through to the producer and the registry client, beyond the defined ones. */
    private static final Set<String> PASS_THROUGH_PREFIXES = Set.of(TrackerConfig.PRODUCER_PREFIX, "basic.auth.", "schema.registry.");

    private final TrackerConfig tracker;

    public AgentConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        for (String key : originals.keySet()) {
            if (!CONFIG.names().contains(key) && PASS_THROUGH_PREFIXES.stream().noneMatch(key::startsWith)) {
                throw new ConfigException(key, originals.get(key), "unknown entrenar agent setting" + DidYouMean.suggest(key, CONFIG.names()));
            }
        }
        // the tracker's own rules (power-of-two ring, cross-field bounds) fail here, before anything starts
        Map<String, Object> t = new LinkedHashMap<>(originals());
        t.keySet().removeIf(k -> k.startsWith("agent."));
        tracker = new TrackerConfig(t);
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Merges the file, the environment and the agent argument. */
    static AgentConfig resolve(String agentArgs, Map<String, String> env) {
        Map<String, String> args = parseArgs(agentArgs);
        String file = args.remove(CONFIG_FILE);
        if (file == null) {
            file = env.get("ENTRENAR_AGENT_CONFIG");
        }
        ConfigFile source = file == null || file.isEmpty() ? ConfigFile.empty() : ConfigFile.load(Path.of(file));
        Map<String, Object> merged = source.resolve(CONFIG, PASS_THROUGH_PREFIXES, env, args);
        // the agent finishes its run before the tracker closes
        merged.put(TrackerConfig.SHUTDOWN_HOOK_CONFIG, "false");
        try {
            return new AgentConfig(merged);
        } catch (ConfigException e) {
            throw source.explain(e, env, "agent argument");
        }
    }

    static Map<String, String> parseArgs(String agentArgs) {
        Map<String, String> out = new LinkedHashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return out;
        }
        for (String part : agentArgs.split("[,;]")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("entrenar agent argument '" + part + "' is not key=value (in '" + agentArgs + "')");
            }
            out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        return out;
    }

    /** The tracker's share of the settings. */
    TrackerConfig trackerConfig() {
        return tracker;
    }

    String experiment() {
        return getString(EXPERIMENT_CONFIG);
    }

    String runName() {
        return getString(RUN_NAME_CONFIG);
    }

    long intervalMs() {
        return getLong(INTERVAL_MS_CONFIG);
    }

    boolean jfr() {
        return getBoolean(JFR_CONFIG);
    }

    long ioThresholdMs() {
        return getLong(JFR_IO_THRESHOLD_MS_CONFIG);
    }

    /** The OTLP/HTTP traces URL, or empty when spans go to Kafka only. */
    String otlpEndpoint() {
        return getString(OTLP_ENDPOINT_CONFIG);
    }

    long waitThresholdMs() {
        return getLong(JFR_WAIT_THRESHOLD_MS_CONFIG);
    }
}
