package io.entrenar.sink.http;

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
    private static final String READ_ONLY_DOC = "Refuse everything but SELECT, WITH, SHOW, DESCRIBE, EXPLAIN and EXISTS "
            + "(and table functions that reach files or the network), as ClickHouse's readonly=1 does.";

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
            .define(THREADS_CONFIG, Type.INT, THREADS_DEFAULT, ConfigDef.Range.between(1, 64), Importance.LOW, THREADS_DOC);

    public ClickHouseHttpConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        if (getString(USER_CONFIG).isEmpty() && !getPassword(PASSWORD_CONFIG).value().isEmpty()) {
            throw new ConfigException(PASSWORD_CONFIG, "(hidden)", "needs " + USER_CONFIG);
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }
}
