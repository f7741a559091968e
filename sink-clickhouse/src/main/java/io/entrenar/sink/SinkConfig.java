package io.entrenar.sink;

import io.entrenar.schemas.Topic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Settings of the sink app ({@code entrenar sink}): where to read, where to write, how to batch. */
public final class SinkConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka bootstrap servers (host:port,...).";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Schema registry base URL(s), comma-separated.";

    public static final String GROUP_ID_CONFIG = "group.id";
    public static final String GROUP_ID_DEFAULT = "entrenar-sink";
    private static final String GROUP_ID_DOC = "Consumer group; sink instances in one group share the partitions.";

    public static final String TOPICS_CONFIG = "topics";
    public static final List<String> TOPICS_DEFAULT = defaultTopics();
    private static final String TOPICS_DOC = "Topics to consume (default: every topic that carries data for the tables).";

    public static final String DLQ_TOPIC_CONFIG = "dlq.topic";
    public static final String DLQ_TOPIC_DEFAULT = Topic.DLQ.topicName();
    private static final String DLQ_TOPIC_DOC = "Topic for records that cannot be decoded or stored; reason in headers.";

    public static final String ENGINE_CONFIG = "engine";
    public static final String ENGINE_DEFAULT = "chdb";
    private static final String ENGINE_DOC = "chdb (ClickHouse in this process, storage at chdb.path) or jdbc "
            + "(a ClickHouse server at jdbc.url).";

    public static final String CHDB_PATH_CONFIG = "chdb.path";
    public static final String CHDB_PATH_DEFAULT = "~/.entrenar/chdb";
    private static final String CHDB_PATH_DOC = "chDB storage directory; one process at a time may open it.";

    public static final String CHDB_LIBRARY_CONFIG = "chdb.library";
    public static final String CHDB_LIBRARY_DEFAULT = "";
    private static final String CHDB_LIBRARY_DOC = "Path of libchdb.so; empty = where scripts/setup.sh installs it "
            + "(~/.cache/entrenar/chdb/VERSION/libchdb.so, or ENTRENAR_CHDB_LIB).";

    public static final String JDBC_URL_CONFIG = "jdbc.url";
    public static final String JDBC_URL_DEFAULT = "";
    private static final String JDBC_URL_DOC = "clickhouse-jdbc URL of the server, e.g. jdbc:clickhouse://host:8123; "
            + "required when engine=jdbc.";

    public static final String JDBC_USER_CONFIG = "jdbc.user";
    public static final String JDBC_USER_DEFAULT = "default";
    private static final String JDBC_USER_DOC = "ClickHouse user for engine=jdbc.";

    public static final String JDBC_PASSWORD_CONFIG = "jdbc.password";
    private static final String JDBC_PASSWORD_DOC = "ClickHouse password for engine=jdbc.";

    public static final String DATABASE_CONFIG = "database";
    public static final String DATABASE_DEFAULT = "entrenar";
    private static final String DATABASE_DOC = "Database of the tables; created and migrated at start.";

    public static final String BATCH_MAX_ROWS_CONFIG = "batch.max.rows";
    public static final int BATCH_MAX_ROWS_DEFAULT = 1_000_000;
    private static final String BATCH_MAX_ROWS_DOC = "Insert when the batch holds this many rows (all tables).";

    public static final String BATCH_MAX_BYTES_CONFIG = "batch.max.bytes";
    public static final long BATCH_MAX_BYTES_DEFAULT = 64L << 20;
    private static final String BATCH_MAX_BYTES_DOC = "Insert when the batch's RowBinary reaches this many bytes.";

    public static final String BATCH_MAX_MS_CONFIG = "batch.max.ms";
    public static final long BATCH_MAX_MS_DEFAULT = 250;
    private static final String BATCH_MAX_MS_DOC = "Insert at the latest this long after the first record of a batch: "
            + "bounds the logged-to-queryable lag.";

    public static final String SPOOL_DIR_CONFIG = "spool.dir";
    public static final String SPOOL_DIR_DEFAULT = "";
    private static final String SPOOL_DIR_DOC = "Directory for the RowBinary files handed to ClickHouse; empty = a "
            + "directory under java.io.tmpdir.";

    public static final String STATUS_INTERVAL_MS_CONFIG = "status.log.interval.ms";
    public static final long STATUS_INTERVAL_MS_DEFAULT = 30_000;
    private static final String STATUS_INTERVAL_MS_DOC = "How often to log rows/s and consumer lag; 0 = never.";

    public static final String HTTP_ENABLED_CONFIG = "http.enabled";
    public static final boolean HTTP_ENABLED_DEFAULT = true;
    private static final String HTTP_ENABLED_DOC = "With engine=chdb, serve the ClickHouse HTTP interface over the "
            + "embedded store (http.* keys), so that other processes can query it: only this process may open chdb.path.";

    /** Kafka consumer and producer settings passed through, e.g. consumer.max.poll.records. */
    public static final String CONSUMER_PREFIX = "consumer.";
    public static final String PRODUCER_PREFIX = "producer.";

    private static final ConfigDef CONFIG = io.entrenar.config.ClientSecurity.define(
            io.entrenar.ops.OpsConfig.define(io.entrenar.sink.http.ClickHouseHttpConfig.configDef(), 9402))
            .define(HTTP_ENABLED_CONFIG, Type.BOOLEAN, HTTP_ENABLED_DEFAULT, Importance.MEDIUM, HTTP_ENABLED_DOC)
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(GROUP_ID_CONFIG, Type.STRING, GROUP_ID_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    GROUP_ID_DOC)
            .define(TOPICS_CONFIG, Type.LIST, TOPICS_DEFAULT, ConfigDef.ValidList.anyNonDuplicateValues(false, false),
                    Importance.MEDIUM, TOPICS_DOC)
            .define(DLQ_TOPIC_CONFIG, Type.STRING, DLQ_TOPIC_DEFAULT, new ConfigDef.NonEmptyString(), Importance.LOW,
                    DLQ_TOPIC_DOC)
            .define(ENGINE_CONFIG, Type.STRING, ENGINE_DEFAULT, ConfigDef.ValidString.in("chdb", "jdbc"),
                    Importance.HIGH, ENGINE_DOC)
            .define(CHDB_PATH_CONFIG, Type.STRING, CHDB_PATH_DEFAULT, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    CHDB_PATH_DOC)
            .define(CHDB_LIBRARY_CONFIG, Type.STRING, CHDB_LIBRARY_DEFAULT, Importance.LOW, CHDB_LIBRARY_DOC)
            .define(JDBC_URL_CONFIG, Type.STRING, JDBC_URL_DEFAULT, Importance.HIGH, JDBC_URL_DOC)
            .define(JDBC_USER_CONFIG, Type.STRING, JDBC_USER_DEFAULT, Importance.MEDIUM, JDBC_USER_DOC)
            .define(JDBC_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, JDBC_PASSWORD_DOC)
            .define(DATABASE_CONFIG, Type.STRING, DATABASE_DEFAULT,
                    ConfigDef.LambdaValidator.with((k, v) -> {
                        if (v == null || !v.toString().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                            throw new ConfigException(k, v, "must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*)");
                        }
                    }, () -> "identifier"), Importance.MEDIUM, DATABASE_DOC)
            .define(BATCH_MAX_ROWS_CONFIG, Type.INT, BATCH_MAX_ROWS_DEFAULT, ConfigDef.Range.atLeast(1),
                    Importance.MEDIUM, BATCH_MAX_ROWS_DOC)
            .define(BATCH_MAX_BYTES_CONFIG, Type.LONG, BATCH_MAX_BYTES_DEFAULT, ConfigDef.Range.between(1024, 1L << 31),
                    Importance.MEDIUM, BATCH_MAX_BYTES_DOC)
            .define(BATCH_MAX_MS_CONFIG, Type.LONG, BATCH_MAX_MS_DEFAULT, ConfigDef.Range.between(1, 600_000),
                    Importance.MEDIUM, BATCH_MAX_MS_DOC)
            .define(SPOOL_DIR_CONFIG, Type.STRING, SPOOL_DIR_DEFAULT, Importance.LOW, SPOOL_DIR_DOC)
            .define(STATUS_INTERVAL_MS_CONFIG, Type.LONG, STATUS_INTERVAL_MS_DEFAULT, ConfigDef.Range.atLeast(0),
                    Importance.LOW, STATUS_INTERVAL_MS_DOC);

    public SinkConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        io.entrenar.config.ClientSecurity.validate(this);
        if (engine().equals("jdbc") && getString(JDBC_URL_CONFIG).isBlank()) {
            throw new ConfigException(JDBC_URL_CONFIG, "", "is required when engine=jdbc");
        }
        if (engine().equals("jdbc") && !getString(JDBC_URL_CONFIG).startsWith("jdbc:clickhouse:")
                && !getString(JDBC_URL_CONFIG).startsWith("jdbc:ch:")) {
            throw new ConfigException(JDBC_URL_CONFIG, getString(JDBC_URL_CONFIG), "must start with jdbc:clickhouse:");
        }
        new io.entrenar.sink.http.ClickHouseHttpConfig(originals); // the http.* cross-field rules
        if (getList(TOPICS_CONFIG).contains(getString(DLQ_TOPIC_CONFIG))) {
            throw new ConfigException(TOPICS_CONFIG, getList(TOPICS_CONFIG), "must not include the dead-letter topic "
                    + getString(DLQ_TOPIC_CONFIG));
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Key prefixes accepted beyond the defined keys. */
    public static Set<String> dynamicPrefixes() {
        return Set.of(CONSUMER_PREFIX, PRODUCER_PREFIX);
    }

    private static List<String> defaultTopics() {
        List<String> topics = new ArrayList<>();
        for (Topic t : Topic.values()) {
            // experiments are read by the MLflow API from their compacted topic; runs carry their names
            if (t != Topic.DLQ && t != Topic.CONTROL && t != Topic.EXPERIMENTS) {
                topics.add(t.topicName());
            }
        }
        return List.copyOf(topics);
    }

    public String engine() {
        return getString(ENGINE_CONFIG);
    }

    public String database() {
        return getString(DATABASE_CONFIG);
    }

    public Path chdbPath() {
        return expandHome(getString(CHDB_PATH_CONFIG));
    }

    static Path expandHome(String dir) {
        if (dir.equals("~") || dir.startsWith("~/")) {
            dir = System.getProperty("user.home") + dir.substring(1);
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }
}
