package io.entrenar.cli.pipeline;

import java.util.Map;
import java.util.Set;

import io.entrenar.processors.ProcessorsConfig;
import io.entrenar.sink.SinkConfig;
import io.entrenar.stack.StackConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Settings of the one-command pipeline: the embedded stack's keys ({@link StackConfig}) plus the
 * apps it runs next to the broker.
 */
public final class PipelineConfig extends AbstractConfig {
    public static final String ALERTING_ENABLED_CONFIG = "alerting.enabled";
    private static final String ALERTING_ENABLED_DOC = "Run the alert router inside the stack.";

    public static final String ALERTING_ROUTES_FILE_CONFIG = "alerting.routes.file";
    private static final String ALERTING_ROUTES_FILE_DOC = "Routing YAML of the embedded alert router; empty = "
            + "<data.dir>/alerting/routes.yaml, created on first start to route every alert to the local webhook receiver.";

    public static final String PROCESSORS_ENABLED_CONFIG = "processors.enabled";
    private static final String PROCESSORS_ENABLED_DOC = "Run the stream processors (stats, Andon, ETA, leaderboards) in the stack. "
            + "Any processors.<key> is passed to them (README, Stream processors); defaults here: state.dir <data.dir>/streams.";

    public static final String SINK_ENABLED_CONFIG = "sink.enabled";
    private static final String SINK_ENABLED_DOC = "Run the ClickHouse sink on the embedded chDB engine, with its ClickHouse HTTP "
            + "endpoint. Any sink.<key> is passed to it (README, ClickHouse sink); defaults here: engine chdb, chdb.path "
            + "<data.dir>/chdb.";

    public static final String WEBHOOK_RECEIVER_PORT_CONFIG = "webhook.receiver.port";
    public static final int WEBHOOK_RECEIVER_PORT_DEFAULT = 8090;
    private static final String WEBHOOK_RECEIVER_PORT_DOC = "Port of the local webhook receiver that records deliveries "
            + "(GET /deliveries); 0 picks a free port.";

    public static final String DASHBOARD_ENABLED_CONFIG = "dashboard.enabled";
    private static final String DASHBOARD_ENABLED_DOC = "Serve the web dashboard from the stack. Any dashboard.<key> is passed "
            + "to it (README, Web dashboard); defaults here: host = the stack's host, clickhouse.url = the sink's ClickHouse "
            + "HTTP endpoint, Kafka and registry = the stack's.";

    public static final String MLFLOW_ENABLED_CONFIG = "mlflow.enabled";
    private static final String MLFLOW_ENABLED_DOC = "Serve MLflow's tracking REST API from the stack (port 5000 like MLflow; "
            + "Python jobs set MLFLOW_TRACKING_URI to it). Any mlflow.<key> is passed to it (README, From Python); defaults here: "
            + "host = the stack's host, clickhouse.url = the sink's ClickHouse HTTP endpoint, Kafka and registry = the stack's, "
            + "artifacts and spool under <data.dir>/mlflow.";

    private static final ConfigDef CONFIG = io.entrenar.ops.OpsConfig.define(StackConfig.configDef())
            .define(MLFLOW_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, MLFLOW_ENABLED_DOC)
            .define(SINK_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, SINK_ENABLED_DOC)
            .define(PROCESSORS_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, PROCESSORS_ENABLED_DOC)
            .define(ALERTING_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, ALERTING_ENABLED_DOC)
            .define(DASHBOARD_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, DASHBOARD_ENABLED_DOC)
            .define(ALERTING_ROUTES_FILE_CONFIG, Type.STRING, "", Importance.MEDIUM, ALERTING_ROUTES_FILE_DOC)
            .define(WEBHOOK_RECEIVER_PORT_CONFIG, Type.INT, WEBHOOK_RECEIVER_PORT_DEFAULT, ConfigDef.Range.between(0, 65535),
                    Importance.LOW, WEBHOOK_RECEIVER_PORT_DOC);

    private final StackConfig stack;

    public PipelineConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        this.stack = new StackConfig(originals);
        // The apps' own rules, checked before anything starts.
        if (getBoolean(PROCESSORS_ENABLED_CONFIG)) {
            processors("validation:0", "http://validation");
        }
        if (getBoolean(SINK_ENABLED_CONFIG)) {
            sink("validation:0", "http://validation");
        }
        if (getBoolean(DASHBOARD_ENABLED_CONFIG)) {
            dashboard("validation:0", "http://validation", "http://validation:8123");
        }
        if (getBoolean(MLFLOW_ENABLED_CONFIG)) {
            mlflow("validation:0", "http://validation", "http://validation:8123");
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    public static final String PROCESSORS_PREFIX = "processors.";
    public static final String SINK_PREFIX = "sink.";
    public static final String DASHBOARD_PREFIX = "dashboard.";
    public static final String MLFLOW_PREFIX = "mlflow.";

    public static Set<String> dynamicPrefixes() {
        Set<String> prefixes = new java.util.HashSet<>(StackConfig.dynamicPrefixes());
        prefixes.add(PROCESSORS_PREFIX);
        prefixes.add(SINK_PREFIX);
        prefixes.add(DASHBOARD_PREFIX);
        prefixes.add(MLFLOW_PREFIX);
        return prefixes;
    }

    /** The sink's settings: chDB under the data directory with its HTTP endpoint, then {@code sink.*} overrides. */
    public SinkConfig sink(String bootstrapServers, String registryUrl) {
        Map<String, Object> settings = new java.util.HashMap<>();
        settings.put(SinkConfig.ENGINE_CONFIG, "chdb");
        settings.put(SinkConfig.CHDB_PATH_CONFIG, stack.dataDir().resolve("chdb").toString());
        settings.put(SinkConfig.HTTP_ENABLED_CONFIG, true);
        settings.put("http.host", stack.host());
        settings.putAll(originalsWithPrefix(SINK_PREFIX));
        settings.remove("enabled");
        // One /metrics and /health for the whole pipeline: the sink's own endpoint stays off.
        settings.put(io.entrenar.ops.OpsConfig.PORT_CONFIG, -1);
        settings.put(SinkConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(SinkConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        return new SinkConfig(settings);
    }

    /** The key file that signs and verifies the stack's control commands: {@code <data.dir>/control.keys}. */
    public java.nio.file.Path controlKeysFile() {
        return stack.dataDir().resolve("control.keys");
    }

    /** The processors' settings: the pipeline's defaults, then {@code processors.*} overrides. */
    public ProcessorsConfig processors(String bootstrapServers, String registryUrl) {
        Map<String, Object> settings = new java.util.HashMap<>();
        settings.put(ProcessorsConfig.STATE_DIR_CONFIG, stack.dataDir().resolve("streams").toString());
        settings.put(io.entrenar.control.ControlKeys.FILE_CONFIG, controlKeysFile().toString());
        settings.put(ProcessorsConfig.HTTP_HOST_CONFIG, stack.host());
        settings.putAll(originalsWithPrefix(PROCESSORS_PREFIX));
        settings.remove("enabled");
        // One /metrics and /health for the whole pipeline: the processors' own endpoint stays off.
        settings.put(io.entrenar.ops.OpsConfig.PORT_CONFIG, -1);
        settings.put(ProcessorsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ProcessorsConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        return new ProcessorsConfig(settings);
    }

    /** The ClickHouse database the sink writes ({@code sink.database}). */
    public String database() {
        return String.valueOf(originalsWithPrefix(SINK_PREFIX).getOrDefault(SinkConfig.DATABASE_CONFIG, SinkConfig.DATABASE_DEFAULT));
    }

    /**
     * The dashboard's settings: the stack's host, Kafka and registry, the sink's ClickHouse endpoint
     * (when the sink runs), then {@code dashboard.*} overrides.
     *
     * @param clickHouseUrl null when the sink is off: {@code dashboard.clickhouse.url} or its default applies
     */
    public io.entrenar.dashboard.DashboardConfig dashboard(String bootstrapServers, String registryUrl, String clickHouseUrl) {
        Map<String, Object> settings = new java.util.HashMap<>();
        settings.put(io.entrenar.dashboard.DashboardConfig.HOST_CONFIG, stack.host());
        // The run page's buttons sign with the stack's keys, which its trackers verify.
        settings.put(io.entrenar.dashboard.DashboardConfig.CONTROL_KEYS_FILE_CONFIG, controlKeysFile().toString());
        if (clickHouseUrl != null) {
            settings.put(io.entrenar.dashboard.DashboardConfig.CLICKHOUSE_URL_CONFIG, clickHouseUrl);
        }
        settings.putAll(originalsWithPrefix(DASHBOARD_PREFIX));
        settings.remove("enabled");
        settings.put(io.entrenar.dashboard.DashboardConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(io.entrenar.dashboard.DashboardConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        return new io.entrenar.dashboard.DashboardConfig(settings);
    }

    /**
     * The MLflow API's settings: the stack's host, Kafka and registry, the sink's ClickHouse endpoint,
     * its artifacts and spool under the data directory and the stack's control keys, then {@code mlflow.*} overrides.
     */
    public io.entrenar.mlflow.MlflowApiConfig mlflow(String bootstrapServers, String registryUrl, String clickHouseUrl) {
        Map<String, Object> settings = new java.util.HashMap<>();
        settings.put(io.entrenar.mlflow.MlflowApiConfig.HOST_CONFIG, stack.host());
        settings.put(io.entrenar.mlflow.MlflowApiConfig.ARTIFACTS_DIR_CONFIG, stack.dataDir().resolve("mlflow").resolve("artifacts").toString());
        settings.put(io.entrenar.mlflow.MlflowApiConfig.SPOOL_DIR_CONFIG, stack.dataDir().resolve("mlflow").resolve("spool").toString());
        settings.put(io.entrenar.mlflow.MlflowApiConfig.TRACKER_PREFIX + io.entrenar.control.ControlKeys.FILE_CONFIG,
                controlKeysFile().toString());
        settings.put(io.entrenar.mlflow.MlflowApiConfig.CLICKHOUSE_DATABASE_CONFIG, database());
        if (clickHouseUrl != null) {
            settings.put(io.entrenar.mlflow.MlflowApiConfig.CLICKHOUSE_URL_CONFIG, clickHouseUrl);
        }
        settings.putAll(originalsWithPrefix(MLFLOW_PREFIX));
        settings.remove("enabled");
        settings.put(io.entrenar.mlflow.MlflowApiConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(io.entrenar.mlflow.MlflowApiConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        return new io.entrenar.mlflow.MlflowApiConfig(settings);
    }

    public StackConfig stack() {
        return stack;
    }
}
