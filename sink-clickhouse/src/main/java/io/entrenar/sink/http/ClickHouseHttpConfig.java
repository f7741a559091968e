package io.entrenar.sink.http;

import io.entrenar.sink.engine.ReaderLimits;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Settings of the ClickHouse-compatible HTTP endpoint over the embedded chDB engine. */
public final class ClickHouseHttpConfig extends AbstractConfig {

    public static final String HOST_CONFIG = "http.host";
    public static final String HOST_DEFAULT = "127.0.0.1";
    private static final String HOST_DOC = "Address the endpoint listens on; 127.0.0.1 keeps it local to the machine.";

    public static final String PORT_CONFIG = "http.port";
    public static final int PORT_DEFAULT = 8123;
    private static final String PORT_DOC = "Port of the endpoint (ClickHouse's HTTP port by default); 0 picks a free port.";

    public static final String READ_ONLY_CONFIG = "http.read.only";
    public static final boolean READ_ONLY_DEFAULT = true;
    private static final String READ_ONLY_DOC = "Serve reads only: every statement goes through the reader path (checked by "
            + "the engine's parser, run with readonly=1 and the http.query.* limits). false also accepts writes, for "
            + "sinks that write through this endpoint (engine=jdbc); give it http.user and http.password, since every "
            + "client may then write.";

    public static final String MAX_EXECUTION_TIME_CONFIG = "http.query.max.execution.time.ms";
    public static final long MAX_EXECUTION_TIME_DEFAULT = 10_000;
    private static final String MAX_EXECUTION_TIME_DOC = "A read that runs longer is cut off by the engine "
            + "(TIMEOUT_EXCEEDED). The engine runs one statement at a time and cannot interrupt one, so this also "
            + "bounds how long other statements wait and how long a shutdown waits.";

    public static final String MAX_MEMORY_CONFIG = "http.query.max.memory.bytes";
    public static final long MAX_MEMORY_DEFAULT = 2L << 30;
    private static final String MAX_MEMORY_DOC = "Memory one read may use in the engine (MEMORY_LIMIT_EXCEEDED beyond).";

    public static final String MAX_RESULT_ROWS_CONFIG = "http.query.max.result.rows";
    public static final long MAX_RESULT_ROWS_DEFAULT = 1_000_000;
    private static final String MAX_RESULT_ROWS_DOC = "Rows one read may return (TOO_MANY_ROWS_OR_BYTES beyond).";

    public static final String MAX_RESULT_BYTES_CONFIG = "http.query.max.result.bytes";
    public static final long MAX_RESULT_BYTES_DEFAULT = 256L << 20;
    private static final String MAX_RESULT_BYTES_DOC = "Uncompressed bytes of one result in the engine "
            + "(TOO_MANY_ROWS_OR_BYTES beyond).";

    public static final String MAX_OUTPUT_BYTES_CONFIG = "http.query.max.output.bytes";
    public static final long MAX_OUTPUT_BYTES_DEFAULT = 1L << 30;
    private static final String MAX_OUTPUT_BYTES_DOC = "Bytes of one formatted answer (JSON, TSV, ...), spooled to a "
            + "temporary file past 1 MiB (TOO_MANY_ROWS_OR_BYTES beyond).";

    public static final String MAX_CONCURRENT_CONFIG = "http.query.max.concurrent";
    public static final int MAX_CONCURRENT_DEFAULT = 8;
    private static final String MAX_CONCURRENT_DOC = "Reads admitted at once, running or waiting for the engine; "
            + "more are refused at once (TOO_MANY_SIMULTANEOUS_QUERIES).";

    public static final String QUEUE_WAIT_CONFIG = "http.query.queue.wait.ms";
    public static final long QUEUE_WAIT_DEFAULT = 15_000;
    private static final String QUEUE_WAIT_DOC = "How long an admitted read waits for the engine while another "
            + "statement runs, before it fails with TIMEOUT_EXCEEDED.";

    public static final String MAX_REQUEST_BYTES_CONFIG = "http.max.request.bytes";
    public static final long MAX_REQUEST_BYTES_DEFAULT = 64L << 20;
    private static final String MAX_REQUEST_BYTES_DOC = "Largest request body (insert data on a read-write endpoint); "
            + "a read-only endpoint takes at most 1 MiB of query text. Larger requests get HTTP 413.";

    public static final String ALLOWED_HOSTS_CONFIG = "http.allowed.hosts";
    private static final String ALLOWED_HOSTS_DOC = "Host names requests may carry in their Host header, besides "
            + "the address the endpoint listens on, localhost, 127.0.0.1 and [::1]; others get HTTP 403 "
            + "(a DNS-rebinding page carries its own name).";

    public static final String ALLOWED_ORIGINS_CONFIG = "http.allowed.origins";
    private static final String ALLOWED_ORIGINS_DOC = "Web origins (scheme://host:port) whose pages may query the "
            + "endpoint from a browser; requests with any other Origin, or that a browser marks cross-site, get HTTP "
            + "403. Empty: no web page may.";

    public static final String USER_CONFIG = "http.user";
    public static final String USER_DEFAULT = "";
    private static final String USER_DOC = "User that clients must send (basic auth, X-ClickHouse-User or user=); "
            + "empty accepts any user.";

    public static final String PASSWORD_CONFIG = "http.password";
    private static final String PASSWORD_DOC = "Password that goes with http.user.";

    public static final String THREADS_CONFIG = "http.threads";
    public static final int THREADS_DEFAULT = 4;
    private static final String THREADS_DOC = "Request threads; the engine runs one statement at a time.";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(HOST_CONFIG, Type.STRING, HOST_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM, HOST_DOC)
            .define(PORT_CONFIG, Type.INT, PORT_DEFAULT, ConfigDef.Range.between(0, 65535), Importance.MEDIUM, PORT_DOC)
            .define(READ_ONLY_CONFIG, Type.BOOLEAN, READ_ONLY_DEFAULT, Importance.MEDIUM, READ_ONLY_DOC)
            .define(USER_CONFIG, Type.STRING, USER_DEFAULT, Importance.LOW, USER_DOC)
            .define(PASSWORD_CONFIG, Type.PASSWORD, "", Importance.LOW, PASSWORD_DOC)
            .define(THREADS_CONFIG, Type.INT, THREADS_DEFAULT, ConfigDef.Range.between(1, 64), Importance.LOW, THREADS_DOC)
            .define(MAX_EXECUTION_TIME_CONFIG, Type.LONG, MAX_EXECUTION_TIME_DEFAULT, ConfigDef.Range.atLeast(1),
                    Importance.MEDIUM, MAX_EXECUTION_TIME_DOC)
            .define(MAX_MEMORY_CONFIG, Type.LONG, MAX_MEMORY_DEFAULT, ConfigDef.Range.atLeast(1 << 20), Importance.LOW,
                    MAX_MEMORY_DOC)
            .define(MAX_RESULT_ROWS_CONFIG, Type.LONG, MAX_RESULT_ROWS_DEFAULT, ConfigDef.Range.atLeast(1), Importance.LOW,
                    MAX_RESULT_ROWS_DOC)
            .define(MAX_RESULT_BYTES_CONFIG, Type.LONG, MAX_RESULT_BYTES_DEFAULT, ConfigDef.Range.atLeast(1), Importance.LOW,
                    MAX_RESULT_BYTES_DOC)
            .define(MAX_OUTPUT_BYTES_CONFIG, Type.LONG, MAX_OUTPUT_BYTES_DEFAULT, ConfigDef.Range.atLeast(1), Importance.LOW,
                    MAX_OUTPUT_BYTES_DOC)
            .define(MAX_CONCURRENT_CONFIG, Type.INT, MAX_CONCURRENT_DEFAULT, ConfigDef.Range.between(1, 1024),
                    Importance.LOW, MAX_CONCURRENT_DOC)
            .define(QUEUE_WAIT_CONFIG, Type.LONG, QUEUE_WAIT_DEFAULT, ConfigDef.Range.atLeast(0), Importance.LOW,
                    QUEUE_WAIT_DOC)
            .define(MAX_REQUEST_BYTES_CONFIG, Type.LONG, MAX_REQUEST_BYTES_DEFAULT, ConfigDef.Range.atLeast(1024),
                    Importance.LOW, MAX_REQUEST_BYTES_DOC)
            .define(ALLOWED_HOSTS_CONFIG, Type.LIST, "", Importance.LOW, ALLOWED_HOSTS_DOC)
            .define(ALLOWED_ORIGINS_CONFIG, Type.LIST, "", Importance.LOW, ALLOWED_ORIGINS_DOC);

    public ClickHouseHttpConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        if (getString(USER_CONFIG).isEmpty() && !getPassword(PASSWORD_CONFIG).value().isEmpty()) {
            throw new ConfigException(PASSWORD_CONFIG, "(hidden)", "needs " + USER_CONFIG);
        }
        String host = getString(HOST_CONFIG);
        if (!io.entrenar.config.Loopback.host(host) && (getString(USER_CONFIG).isEmpty() || getPassword(PASSWORD_CONFIG).value().isEmpty())) {
            throw new ConfigException(HOST_CONFIG, host, "listens beyond this machine's loopback: set " + USER_CONFIG
                    + " and " + PASSWORD_CONFIG + " so that not everyone on the network can query the store");
        }
    }

    /** The limits every read of this endpoint runs under. */
    public ReaderLimits readerLimits() {
        return new ReaderLimits(Duration.ofMillis(getLong(MAX_EXECUTION_TIME_CONFIG)), getLong(MAX_MEMORY_CONFIG),
                getLong(MAX_RESULT_ROWS_CONFIG), getLong(MAX_RESULT_BYTES_CONFIG), getLong(MAX_OUTPUT_BYTES_CONFIG),
                getInt(MAX_CONCURRENT_CONFIG), Duration.ofMillis(getLong(QUEUE_WAIT_CONFIG)));
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }
}
