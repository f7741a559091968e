package io.entrenar.alerting;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Settings of the alerting app; the routing itself lives in the YAML file named by {@code routes.file}. */
public final class AlertingConfig extends AbstractConfig {
    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka brokers holding the alerts, control, DLQ and state topics.";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Schema registry for decoding alerts and encoding control commands.";

    public static final String ROUTES_FILE_CONFIG = "routes.file";
    private static final String ROUTES_FILE_DOC = "YAML file with channels and routes (README, Alerting); validated at start.";

    public static final String GROUP_ID_CONFIG = "group.id";
    public static final String GROUP_ID_DEFAULT = "entrenar-alerting";
    private static final String GROUP_ID_DOC = "Consumer group of the alerts topic. Run one active instance per group: "
            + "delivery state is shared through the state topic, but pending retries belong to the instance that accepted them.";

    public static final String STATE_TOPIC_CONFIG = "state.topic";
    public static final String STATE_TOPIC_DEFAULT = "entrenar.alerting-state.v1";
    private static final String STATE_TOPIC_DOC = "Compacted topic recording each delivery (PENDING, DELIVERED, DEAD) "
            + "by incident, state and channel: the dedup memory that survives restarts (kept 30 days).";

    public static final String STATE_TOPIC_REPLICATION_FACTOR_CONFIG = "state.topic.replication.factor";
    public static final short STATE_TOPIC_REPLICATION_FACTOR_DEFAULT = -1;
    private static final String STATE_TOPIC_REPLICATION_FACTOR_DOC = "Replicas of the state topic when this app creates it; -1 = broker default.";

    public static final String CONTROL_KEYS_FILE_CONFIG = io.entrenar.control.ControlKeys.FILE_CONFIG;
    public static final String EMERGENCY_STOP_CONFIG = "emergency.stop.enabled";
    private static final String EMERGENCY_STOP_DOC = "Publish STOP to entrenar.control.v1 for FIRING alerts whose action is "
            + "EMERGENCY_STOP. The command id is derived from the incident, so a stop the processors already sent is recognised.";

    private static final ConfigDef CONFIG = io.entrenar.config.ClientSecurity.define(io.entrenar.ops.OpsConfig.define(new ConfigDef(), 9403))
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(ROUTES_FILE_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH, ROUTES_FILE_DOC)
            .define(GROUP_ID_CONFIG, Type.STRING, GROUP_ID_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM, GROUP_ID_DOC)
            .define(STATE_TOPIC_CONFIG, Type.STRING, STATE_TOPIC_DEFAULT, new ConfigDef.NonEmptyString(), Importance.LOW, STATE_TOPIC_DOC)
            .define(STATE_TOPIC_REPLICATION_FACTOR_CONFIG, Type.SHORT, STATE_TOPIC_REPLICATION_FACTOR_DEFAULT, Importance.LOW,
                    STATE_TOPIC_REPLICATION_FACTOR_DOC)
            .define(EMERGENCY_STOP_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, EMERGENCY_STOP_DOC)
            .define(CONTROL_KEYS_FILE_CONFIG, Type.STRING, "", Importance.MEDIUM, io.entrenar.control.ControlKeys.FILE_DOC);

    public AlertingConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        io.entrenar.config.ClientSecurity.validate(this);
        if (!Files.isReadable(routesFile())) {
            throw new ConfigException(ROUTES_FILE_CONFIG, getString(ROUTES_FILE_CONFIG), "no readable file there");
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    public Path routesFile() {
        return Path.of(getString(ROUTES_FILE_CONFIG));
    }

    String bootstrapServers() {
        return String.join(",", getList(BOOTSTRAP_SERVERS_CONFIG));
    }
}
