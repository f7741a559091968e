package io.entrenar.ops;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The {@code ops.*} keys every app's config includes: where {@code /metrics} and {@code /health} listen. */
public final class OpsConfig {
    public static final String HOST_CONFIG = "ops.host";
    public static final String HOST_DEFAULT = "127.0.0.1";
    private static final String HOST_DOC = "Address of the /metrics and /health endpoints (0.0.0.0 in containers).";

    public static final String PORT_CONFIG = "ops.port";
    public static final int PORT_DEFAULT = 9400;
    private static final String PORT_DOC = "Port of the /metrics and /health endpoints; 0 picks a free port, -1 turns them off.";

    private OpsConfig() {
    }

    /** Adds the ops keys to an app's definition, with the default port {@value #PORT_DEFAULT}. */
    public static ConfigDef define(ConfigDef def) {
        return define(def, PORT_DEFAULT);
    }

    /**
     * As {@link #define(ConfigDef)} with an app's own default port, so that apps started side by side
     * on one machine (the stack on 9400, then a separate processors or sink) do not collide.
     */
    public static ConfigDef define(ConfigDef def, int defaultPort) {
        return def.define(HOST_CONFIG, Type.STRING, HOST_DEFAULT, new ConfigDef.NonEmptyString(), Importance.LOW, HOST_DOC)
                .define(PORT_CONFIG, Type.INT, defaultPort, ConfigDef.Range.between(-1, 65535), Importance.LOW, PORT_DOC);
    }

    /** Starts the endpoints as configured, or returns null when {@code ops.port=-1}. */
    public static OpsServer start(AbstractConfig config, Metrics metrics, java.util.Map<String, OpsServer.Check> readiness) {
        int port = config.getInt(PORT_CONFIG);
        return port < 0 ? null : OpsServer.start(config.getString(HOST_CONFIG), port, metrics, readiness);
    }
}
