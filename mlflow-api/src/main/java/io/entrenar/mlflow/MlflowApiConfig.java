package io.entrenar.mlflow;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.entrenar.config.ClientSecurity;
import io.entrenar.tracking.TrackerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the MLflow-compatible tracking API: where it listens, the Kafka cluster and registry
 * its writes go to (through a tracker with its own spool), the ClickHouse its reads come from, and
 * where uploaded artifacts are kept. Keys starting with {@code tracker.} go to the tracker as its
 * own keys ({@code tracker.spool.fsync=always}).
 */
public final class MlflowApiConfig extends AbstractConfig {
    public static final String HOST_CONFIG = "host";
    public static final String HOST_DEFAULT = "127.0.0.1";
    private static final String HOST_DOC = "Address to listen on; MLflow clients reach it as MLFLOW_TRACKING_URI=http://HOST:PORT.";

    public static final String PORT_CONFIG = "port";
    public static final int PORT_DEFAULT = 5000;
    private static final String PORT_DOC = "Port to listen on (5000 like MLflow's server; 0 picks a free one).";

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    public static final String BOOTSTRAP_SERVERS_DEFAULT = "127.0.0.1:9092";
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka cluster the runs' events go to.";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_URL_DEFAULT = "http://127.0.0.1:8081";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Schema registry of the cluster.";

    public static final String CLICKHOUSE_URL_CONFIG = "clickhouse.url";
    public static final String CLICKHOUSE_URL_DEFAULT = "http://127.0.0.1:8123";
    private static final String CLICKHOUSE_URL_DOC = "ClickHouse HTTP interface that answers reads (runs/get, search, get-history).";

    public static final String CLICKHOUSE_USER_CONFIG = "clickhouse.user";
    private static final String CLICKHOUSE_USER_DOC = "ClickHouse user of the reads.";

    public static final String CLICKHOUSE_PASSWORD_CONFIG = "clickhouse.password";
    private static final String CLICKHOUSE_PASSWORD_DOC = "ClickHouse password of the reads.";

    public static final String CLICKHOUSE_DATABASE_CONFIG = "clickhouse.database";
    private static final String CLICKHOUSE_DATABASE_DOC = "Database the sink writes.";

    public static final String ARTIFACTS_DIR_CONFIG = "artifacts.dir";
    public static final String ARTIFACTS_DIR_DEFAULT = Path.of(System.getProperty("user.home"), ".entrenar", "mlflow-artifacts").toString();
    private static final String ARTIFACTS_DIR_DOC = "Directory of the artifact store behind mlflow-artifacts:/ (one folder per experiment and run).";

    public static final String ARTIFACT_MAX_BYTES_CONFIG = "artifact.max.bytes";
    public static final long ARTIFACT_MAX_BYTES_DEFAULT = 2L << 30;
    private static final String ARTIFACT_MAX_BYTES_DOC = "Largest artifact an upload may write.";

    public static final String SPOOL_DIR_CONFIG = "spool.dir";
    public static final String SPOOL_DIR_DEFAULT = Path.of(System.getProperty("user.home"), ".entrenar", "mlflow-spool").toString();
    private static final String SPOOL_DIR_DOC = "Spool of the API's tracker: a call returns once its events are here or acknowledged.";

    public static final String READ_WAIT_MS_CONFIG = "read.wait.ms";
    public static final int READ_WAIT_MS_DEFAULT = 10_000;
    private static final String READ_WAIT_MS_DOC = "How long a read of a run this API wrote to waits for ClickHouse to show those writes "
            + "(read your writes); past it the call answers TEMPORARILY_UNAVAILABLE (503), which MLflow clients retry.";

    public static final String PAUSE_HOLD_MS_CONFIG = "pause.hold.ms";
    public static final int PAUSE_HOLD_MS_DEFAULT = 100_000;
    private static final String PAUSE_HOLD_MS_DOC = "How long a write to a PAUSED run is held before it is answered TEMPORARILY_UNAVAILABLE, "
            + "which MLflow clients retry (and are held again): below the client's own timeout (MLFLOW_HTTP_REQUEST_TIMEOUT, 120 s).";

    public static final String ALLOWED_ORIGINS_CONFIG = "allowed.origins";
    private static final String ALLOWED_ORIGINS_DOC = "Web origins (scheme://host:port) whose pages may call the API; others are refused.";

    public static final String AUTH_USER_CONFIG = "auth.user";
    private static final String AUTH_USER_DOC = "User every request must present with HTTP basic auth (MLflow clients: "
            + "MLFLOW_TRACKING_USERNAME); empty = no basic auth.";

    public static final String AUTH_PASSWORD_CONFIG = "auth.password";
    private static final String AUTH_PASSWORD_DOC = "Password of auth.user (MLflow clients: MLFLOW_TRACKING_PASSWORD).";

    public static final String AUTH_TOKEN_CONFIG = "auth.token";
    private static final String AUTH_TOKEN_DOC = "Bearer token every request may present instead (MLflow clients: MLFLOW_TRACKING_TOKEN); "
            + "empty = none. Beyond loopback, auth.user or auth.token is required.";

    public static final String TRACKER_PREFIX = "tracker.";

    private static final Pattern DATABASE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final ConfigDef CONFIG = ClientSecurity.define(new ConfigDef()
            .define(HOST_CONFIG, Type.STRING, HOST_DEFAULT, new ConfigDef.NonEmptyString(), Importance.HIGH, HOST_DOC)
            .define(PORT_CONFIG, Type.INT, PORT_DEFAULT, ConfigDef.Range.between(0, 65535), Importance.HIGH, PORT_DOC)
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, BOOTSTRAP_SERVERS_DEFAULT, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    BOOTSTRAP_SERVERS_DOC)
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, SCHEMA_REGISTRY_URL_DEFAULT, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(CLICKHOUSE_URL_CONFIG, Type.STRING, CLICKHOUSE_URL_DEFAULT, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    CLICKHOUSE_URL_DOC)
            .define(CLICKHOUSE_USER_CONFIG, Type.STRING, "default", Importance.MEDIUM, CLICKHOUSE_USER_DOC)
            .define(CLICKHOUSE_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, CLICKHOUSE_PASSWORD_DOC)
            .define(CLICKHOUSE_DATABASE_CONFIG, Type.STRING, "entrenar", Importance.MEDIUM, CLICKHOUSE_DATABASE_DOC)
            .define(ARTIFACTS_DIR_CONFIG, Type.STRING, ARTIFACTS_DIR_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    ARTIFACTS_DIR_DOC)
            .define(ARTIFACT_MAX_BYTES_CONFIG, Type.LONG, ARTIFACT_MAX_BYTES_DEFAULT, ConfigDef.Range.atLeast(1), Importance.LOW,
                    ARTIFACT_MAX_BYTES_DOC)
            .define(SPOOL_DIR_CONFIG, Type.STRING, SPOOL_DIR_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM, SPOOL_DIR_DOC)
            .define(READ_WAIT_MS_CONFIG, Type.INT, READ_WAIT_MS_DEFAULT, ConfigDef.Range.between(0, 600_000), Importance.LOW,
                    READ_WAIT_MS_DOC)
            .define(PAUSE_HOLD_MS_CONFIG, Type.INT, PAUSE_HOLD_MS_DEFAULT, ConfigDef.Range.between(0, 600_000), Importance.LOW,
                    PAUSE_HOLD_MS_DOC)
            .define(ALLOWED_ORIGINS_CONFIG, Type.LIST, List.of(), Importance.LOW, ALLOWED_ORIGINS_DOC)
            .define(AUTH_USER_CONFIG, Type.STRING, "", Importance.HIGH, AUTH_USER_DOC)
            .define(AUTH_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.HIGH, AUTH_PASSWORD_DOC)
            .define(AUTH_TOKEN_CONFIG, Type.PASSWORD, "", Importance.HIGH, AUTH_TOKEN_DOC));

    private final TrackerConfig tracker;

    public MlflowApiConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        ClientSecurity.validate(this);
        if (!DATABASE.matcher(database()).matches()) {
            throw new ConfigException(CLICKHOUSE_DATABASE_CONFIG, database(), "not a database name (letters, digits, _)");
        }
        jdbcUrl();
        if (credentials() == null && !io.entrenar.config.Loopback.host(getString(HOST_CONFIG))) {
            throw new ConfigException(HOST_CONFIG, getString(HOST_CONFIG), "the MLflow API would let anyone who reaches it "
                    + "write and read runs: beyond loopback set auth.user and auth.password, or auth.token (in the stack: mlflow.auth.user, "
                    + "mlflow.auth.password, mlflow.auth.token; SECURITY.md)");
        }
        if (!getString(AUTH_USER_CONFIG).isEmpty() && secret(AUTH_PASSWORD_CONFIG).isEmpty()) {
            throw new ConfigException(AUTH_PASSWORD_CONFIG, "[hidden]", "is required with auth.user");
        }
        tracker = new TrackerConfig(trackerOriginals());
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Key prefixes accepted beyond the defined keys. */
    public static java.util.Set<String> dynamicPrefixes() {
        return java.util.Set.of(TRACKER_PREFIX);
    }

    /**
     * The tracker's settings: the cluster, the security keys, this API's spool, and every event
     * spooled before it is sent ({@code spool.write.behind.ms=0}), so that a call can return as soon
     * as its events are on disk; {@code tracker.*} keys override.
     */
    TrackerConfig tracker() {
        return tracker;
    }

    private Map<String, Object> trackerOriginals() {
        Map<String, Object> t = new HashMap<>();
        ClientSecurity.kafkaClientConfigs(this).forEach((k, v) -> t.put(TrackerConfig.PRODUCER_PREFIX + k, v));
        // the registry's auth and TLS keys are the tracker's own keys too (basic.auth.*, schema.registry.*)
        ClientSecurity.registryClientConfigs(this).forEach((k, v) -> {
            if (k.startsWith("basic.auth.") || k.startsWith("schema.registry.")) {
                t.put(k, v);
            }
        });
        t.put(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, getString(BOOTSTRAP_SERVERS_CONFIG));
        t.put(TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, getString(SCHEMA_REGISTRY_URL_CONFIG));
        t.put(TrackerConfig.SPOOL_DIR_CONFIG, getString(SPOOL_DIR_CONFIG));
        t.put(TrackerConfig.SPOOL_WRITE_BEHIND_MS_CONFIG, 0L);
        t.put(TrackerConfig.SHUTDOWN_HOOK_CONFIG, false);
        t.putAll(originalsWithPrefix(TRACKER_PREFIX));
        return t;
    }

    public String database() {
        return getString(CLICKHOUSE_DATABASE_CONFIG);
    }

    /** The clickhouse-jdbc URL for {@link #CLICKHOUSE_URL_CONFIG}. */
    String jdbcUrl() {
        try {
            return io.entrenar.sink.engine.JdbcEngine.jdbcUrl(getString(CLICKHOUSE_URL_CONFIG));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(CLICKHOUSE_URL_CONFIG, getString(CLICKHOUSE_URL_CONFIG), e.getMessage());
        }
    }

    String clickhouseUser() {
        return getString(CLICKHOUSE_USER_CONFIG);
    }

    String clickhousePassword() {
        return secret(CLICKHOUSE_PASSWORD_CONFIG);
    }

    /** What every request must carry, or null when the API is open (loopback only). */
    io.entrenar.ops.http.Credentials credentials() {
        return io.entrenar.ops.http.Credentials.of(getString(AUTH_USER_CONFIG), secret(AUTH_PASSWORD_CONFIG), secret(AUTH_TOKEN_CONFIG));
    }

    private String secret(String key) {
        Password p = getPassword(key);
        return p == null ? "" : p.value();
    }

    Path artifactsDir() {
        return Path.of(getString(ARTIFACTS_DIR_CONFIG));
    }
}
