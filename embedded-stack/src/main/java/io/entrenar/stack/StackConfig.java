package io.entrenar.stack;

import java.nio.file.Path;
import java.util.Map;

import io.entrenar.registry.CompatibilityLevel;
import io.entrenar.schemas.TopicCatalogueConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Settings of the embedded stack: where data lives, the ports, and the topic catalogue. */
public final class StackConfig extends AbstractConfig {
    public static final String DATA_DIR_CONFIG = "data.dir";
    public static final String DATA_DIR_DEFAULT = "~/.entrenar";
    private static final String DATA_DIR_DOC = "Directory of the broker's log (kafka/) and other stack state; "
            + "a restart with the same directory keeps topics, offsets and registered schemas.";

    public static final String HOST_CONFIG = "host";
    public static final String HOST_DEFAULT = "127.0.0.1";
    private static final String HOST_DOC = "Address the broker and the registry listen on and advertise.";

    public static final String KAFKA_PORT_CONFIG = "kafka.port";
    public static final int KAFKA_PORT_DEFAULT = 9092;
    private static final String KAFKA_PORT_DOC = "Kafka broker port; 0 picks a free port.";

    public static final String REGISTRY_PORT_CONFIG = "registry.port";
    public static final int REGISTRY_PORT_DEFAULT = 8081;
    private static final String REGISTRY_PORT_DOC = "Schema registry HTTP port; 0 picks a free port.";

    public static final String REGISTRY_COMPATIBILITY_CONFIG = "registry.compatibility.level";
    public static final String REGISTRY_COMPATIBILITY_DEFAULT = "BACKWARD";
    private static final String REGISTRY_COMPATIBILITY_DOC = "Global compatibility level of the schema registry: "
            + "NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE.";

    public static final String REGISTRY_USER_INFO_CONFIG = "registry.authentication.basic.user.info";
    private static final String REGISTRY_USER_INFO_DOC = "user:password that registry clients must send with HTTP "
            + "basic auth; empty leaves the registry open (it listens on the host above only).";

    public static final String REGISTRY_ADMIN_USER_INFO_CONFIG = "registry.authentication.basic.admin.user.info";
    private static final String REGISTRY_ADMIN_USER_INFO_DOC = "user:password that may change the registry "
            + "(register, delete, set compatibility); registry.authentication.basic.user.info may then only read. "
            + "Empty: whoever may read may change.";

    private static final ConfigDef CONFIG = TopicCatalogueConfig.configDef()
            .define(DATA_DIR_CONFIG, Type.STRING, DATA_DIR_DEFAULT, new ConfigDef.NonEmptyString(), Importance.HIGH, DATA_DIR_DOC)
            .define(HOST_CONFIG, Type.STRING, HOST_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM, HOST_DOC)
            .define(KAFKA_PORT_CONFIG, Type.INT, KAFKA_PORT_DEFAULT, ConfigDef.Range.between(0, 65535), Importance.HIGH, KAFKA_PORT_DOC)
            .define(REGISTRY_PORT_CONFIG, Type.INT, REGISTRY_PORT_DEFAULT, ConfigDef.Range.between(0, 65535), Importance.HIGH, REGISTRY_PORT_DOC)
            .define(REGISTRY_COMPATIBILITY_CONFIG, Type.STRING, REGISTRY_COMPATIBILITY_DEFAULT,
                    ConfigDef.ValidString.in(names(CompatibilityLevel.values())), Importance.LOW, REGISTRY_COMPATIBILITY_DOC)
            .define(REGISTRY_USER_INFO_CONFIG, Type.PASSWORD, "", Importance.LOW, REGISTRY_USER_INFO_DOC)
            .define(REGISTRY_ADMIN_USER_INFO_CONFIG, Type.PASSWORD, "", Importance.LOW, REGISTRY_ADMIN_USER_INFO_DOC);

    private final TopicCatalogueConfig topics;

    public StackConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        this.topics = new TopicCatalogueConfig(originals);
        if (getInt(KAFKA_PORT_CONFIG) != 0 && getInt(KAFKA_PORT_CONFIG).equals(getInt(REGISTRY_PORT_CONFIG))) {
            throw new ConfigException(REGISTRY_PORT_CONFIG, getInt(REGISTRY_PORT_CONFIG), "must differ from " + KAFKA_PORT_CONFIG);
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Key prefixes accepted beyond the defined keys (per-topic overrides). */
    public static java.util.Set<String> dynamicPrefixes() {
        return java.util.Set.of(TopicCatalogueConfig.PREFIX);
    }

    public Path dataDir() {
        String dir = getString(DATA_DIR_CONFIG);
        if (dir.equals("~") || dir.startsWith("~/")) {
            dir = System.getProperty("user.home") + dir.substring(1);
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    public String host() {
        return getString(HOST_CONFIG);
    }

    public int kafkaPort() {
        return getInt(KAFKA_PORT_CONFIG);
    }

    public int registryPort() {
        return getInt(REGISTRY_PORT_CONFIG);
    }

    public CompatibilityLevel registryCompatibility() {
        return CompatibilityLevel.valueOf(getString(REGISTRY_COMPATIBILITY_CONFIG));
    }

    public String registryUserInfo() {
        return getPassword(REGISTRY_USER_INFO_CONFIG).value();
    }

    public String registryAdminUserInfo() {
        return getPassword(REGISTRY_ADMIN_USER_INFO_CONFIG).value();
    }

    public TopicCatalogueConfig topics() {
        return topics;
    }

    private static String[] names(Enum<?>[] values) {
        String[] names = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            names[i] = values[i].name();
        }
        return names;
    }
}
