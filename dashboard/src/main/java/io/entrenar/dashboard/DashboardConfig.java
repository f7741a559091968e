package io.entrenar.dashboard;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.entrenar.config.KafkaClients;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the web dashboard: where it listens, the ClickHouse it reads history from, the Kafka
 * cluster it streams live points and alerts from (with the client security keys every app takes,
 * {@link io.entrenar.config.ClientSecurity}), and how much it ships to a browser.
 */
public final class DashboardConfig extends AbstractConfig {
    public static final String HOST_CONFIG = "host";
    public static final String HOST_DEFAULT = "127.0.0.1";
    private static final String HOST_DOC = "Address the dashboard listens on (0.0.0.0 in containers).";

    public static final String PORT_CONFIG = "port";
    public static final int PORT_DEFAULT = 8080;
    private static final String PORT_DOC = "Port of the dashboard (pages, /api, /health, /metrics); 0 picks a free port.";

    public static final String CLICKHOUSE_URL_CONFIG = "clickhouse.url";
    public static final String CLICKHOUSE_URL_DEFAULT = "http://127.0.0.1:8123";
    private static final String CLICKHOUSE_URL_DOC = "ClickHouse HTTP endpoint the history comes from: http(s)://HOST:PORT "
            + "(a ClickHouse server, or the stack's endpoint over chDB) or a full jdbc:clickhouse: URL.";

    public static final String CLICKHOUSE_USER_CONFIG = "clickhouse.user";
    public static final String CLICKHOUSE_USER_DEFAULT = "default";
    private static final String CLICKHOUSE_USER_DOC = "ClickHouse user (read-only rights suffice).";

    public static final String CLICKHOUSE_PASSWORD_CONFIG = "clickhouse.password";
    private static final String CLICKHOUSE_PASSWORD_DOC = "ClickHouse password; empty = none.";

    public static final String CLICKHOUSE_DATABASE_CONFIG = "clickhouse.database";
    public static final String CLICKHOUSE_DATABASE_DEFAULT = "entrenar";
    private static final String CLICKHOUSE_DATABASE_DOC = "Database of the sink's tables.";

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    public static final String BOOTSTRAP_SERVERS_DEFAULT = "127.0.0.1:9092";
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka bootstrap servers of the live stream.";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_URL_DEFAULT = "http://127.0.0.1:8081";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Schema registry of the live stream's Avro records.";

    public static final String LIVE_ENABLED_CONFIG = "live.enabled";
    private static final String LIVE_ENABLED_DOC = "Stream new metric points and alerts to open pages (server-sent events) "
            + "from entrenar.metrics.v1 and entrenar.alerts.v1; false = history only.";

    public static final String LIVE_FLUSH_MS_CONFIG = "live.flush.ms";
    public static final int LIVE_FLUSH_MS_DEFAULT = 100;
    private static final String LIVE_FLUSH_MS_DOC = "A page receives the points that arrived for its run at most this often.";

    public static final String LIVE_MAX_POINTS_CONFIG = "live.max.points";
    public static final int LIVE_MAX_POINTS_DEFAULT = 200;
    private static final String LIVE_MAX_POINTS_DOC = "At most this many points per metric per live message; more are "
            + "thinned evenly (the last point always kept), so a fast run cannot flood a browser.";

    public static final String LIVE_MAX_CLIENTS_CONFIG = "live.max.clients";
    public static final int LIVE_MAX_CLIENTS_DEFAULT = 64;
    private static final String LIVE_MAX_CLIENTS_DOC = "Live streams (server-sent events) open at once; one more gets "
            + "HTTP 503 with Retry-After, so open pages cannot exhaust the server.";

    public static final String CHART_POINTS_CONFIG = "chart.points";
    public static final int CHART_POINTS_DEFAULT = 300;
    private static final String CHART_POINTS_DOC = "Buckets per metric of a history chart: ClickHouse downsamples by step "
            + "(mean/min/max/last per bucket) and never ships raw points.";

    public static final String RUNS_LIMIT_CONFIG = "runs.limit";
    public static final int RUNS_LIMIT_DEFAULT = 500;
    private static final String RUNS_LIMIT_DOC = "Most rows of the runs table per request (newest first; the filters apply before the limit).";

    public static final String CONTROL_ENABLED_CONFIG = "control.enabled";
    private static final String CONTROL_ENABLED_DOC = "The run page's Stop, Pause, Resume, Approve and Reject buttons "
            + "(POST /api/runs/RUN/control), which send commands signed with control.keys.file. The dashboard has no "
            + "login, so control needs a loopback host: unset, it is on exactly when the host is loopback; true with "
            + "another host fails at start.";

    public static final String CONTROL_KEYS_FILE_CONFIG = io.entrenar.control.ControlKeys.FILE_CONFIG;

    private static final String CLIENT_ID_PREFIX = "entrenar-dashboard";

    private static final Pattern DATABASE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final ConfigDef CONFIG = io.entrenar.config.ClientSecurity.define(new ConfigDef()
            .define(HOST_CONFIG, Type.STRING, HOST_DEFAULT, new ConfigDef.NonEmptyString(), Importance.HIGH, HOST_DOC)
            .define(PORT_CONFIG, Type.INT, PORT_DEFAULT, ConfigDef.Range.between(0, 65535), Importance.HIGH, PORT_DOC)
            .define(CLICKHOUSE_URL_CONFIG, Type.STRING, CLICKHOUSE_URL_DEFAULT, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    CLICKHOUSE_URL_DOC)
            .define(CLICKHOUSE_USER_CONFIG, Type.STRING, CLICKHOUSE_USER_DEFAULT, Importance.MEDIUM, CLICKHOUSE_USER_DOC)
            .define(CLICKHOUSE_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, CLICKHOUSE_PASSWORD_DOC)
            .define(CLICKHOUSE_DATABASE_CONFIG, Type.STRING, CLICKHOUSE_DATABASE_DEFAULT, Importance.MEDIUM, CLICKHOUSE_DATABASE_DOC)
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, BOOTSTRAP_SERVERS_DEFAULT, Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, SCHEMA_REGISTRY_URL_DEFAULT, Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(LIVE_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, LIVE_ENABLED_DOC)
            .define(LIVE_FLUSH_MS_CONFIG, Type.INT, LIVE_FLUSH_MS_DEFAULT, ConfigDef.Range.between(10, 10_000), Importance.LOW,
                    LIVE_FLUSH_MS_DOC)
            .define(LIVE_MAX_POINTS_CONFIG, Type.INT, LIVE_MAX_POINTS_DEFAULT, ConfigDef.Range.between(2, 100_000), Importance.LOW,
                    LIVE_MAX_POINTS_DOC)
            .define(LIVE_MAX_CLIENTS_CONFIG, Type.INT, LIVE_MAX_CLIENTS_DEFAULT, ConfigDef.Range.between(1, 10_000), Importance.LOW,
                    LIVE_MAX_CLIENTS_DOC)
            .define(CHART_POINTS_CONFIG, Type.INT, CHART_POINTS_DEFAULT, ConfigDef.Range.between(10, 10_000), Importance.LOW,
                    CHART_POINTS_DOC)
            .define(RUNS_LIMIT_CONFIG, Type.INT, RUNS_LIMIT_DEFAULT, ConfigDef.Range.between(1, 100_000), Importance.LOW,
                    RUNS_LIMIT_DOC)
            .define(CONTROL_ENABLED_CONFIG, Type.BOOLEAN, null, Importance.MEDIUM, CONTROL_ENABLED_DOC)
            .define(CONTROL_KEYS_FILE_CONFIG, Type.STRING, "", Importance.MEDIUM, io.entrenar.control.ControlKeys.FILE_DOC));

    private final KafkaClients kafkaClients;

    public DashboardConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        jdbcUrl(); // fails here, before anything starts
        if (!DATABASE.matcher(database()).matches()) {
            throw new ConfigException(CLICKHOUSE_DATABASE_CONFIG, database(), "not a database name (letters, digits, _)");
        }
        if (controlEnabled() && !io.entrenar.config.Loopback.host(getString(HOST_CONFIG))) {
            throw new ConfigException(CONTROL_ENABLED_CONFIG, true, "the dashboard has no login, so anyone who reaches "
                    + getString(HOST_CONFIG) + " could stop runs: leave " + CONTROL_ENABLED_CONFIG + " unset or false to serve it beyond loopback");
        }
        if (getBoolean(LIVE_ENABLED_CONFIG) || controlEnabled()) {
            if (getString(BOOTSTRAP_SERVERS_CONFIG).isBlank()) {
                throw new ConfigException(BOOTSTRAP_SERVERS_CONFIG, "", "required when live.enabled or control.enabled is true");
            }
            if (getString(SCHEMA_REGISTRY_URL_CONFIG).isBlank()) {
                throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, "", "required when live.enabled or control.enabled is true");
            }
            // The live feed's consumer and the buttons' producer connect as every other app's clients do.
            io.entrenar.config.ClientSecurity.validate(this);
            this.kafkaClients = KafkaClients.of(this, CLIENT_ID_PREFIX);
        } else {
            this.kafkaClients = null;
        }
    }

    /** The dashboard's Kafka clients (live feed, control commands): servers, security settings, client ids. */
    KafkaClients kafkaClients() {
        if (kafkaClients == null) {
            throw new IllegalStateException("the dashboard has no Kafka clients with live.enabled and control.enabled false");
        }
        return kafkaClients;
    }

    /** The registry client's settings: URL, auth and TLS. */
    Map<String, Object> registryClientConfigs() {
        return io.entrenar.config.ClientSecurity.registryClientConfigs(this);
    }

    /** Whether the run page may send control commands: as set, else exactly when the host is loopback. */
    boolean controlEnabled() {
        Boolean set = getBoolean(CONTROL_ENABLED_CONFIG);
        return set != null ? set : io.entrenar.config.Loopback.host(getString(HOST_CONFIG));
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** The dashboard has no pass-through keys. */
    public static Set<String> dynamicPrefixes() {
        return Set.of();
    }

    public String database() {
        return getString(CLICKHOUSE_DATABASE_CONFIG);
    }

    /** The clickhouse-jdbc URL for {@link #CLICKHOUSE_URL_CONFIG}. */
    public String jdbcUrl() {
        try {
            return io.entrenar.sink.engine.JdbcEngine.jdbcUrl(getString(CLICKHOUSE_URL_CONFIG));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(CLICKHOUSE_URL_CONFIG, getString(CLICKHOUSE_URL_CONFIG), e.getMessage());
        }
    }

    String user() {
        return getString(CLICKHOUSE_USER_CONFIG);
    }

    String password() {
        Password p = getPassword(CLICKHOUSE_PASSWORD_CONFIG);
        return p == null ? "" : p.value();
    }
}
