package io.entrenar.schemas;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * How the topic catalogue creates topics: partitions, replication and per-topic overrides
 * ({@code topics.<topic>.partitions}, {@code topics.<topic>.retention.ms},
 * {@code topics.<topic>.cleanup.policy}).
 */
public final class TopicCatalogueConfig extends AbstractConfig {
    public static final String PREFIX = "topics.";

    public static final String PARTITIONS_CONFIG = "topics.partitions";
    public static final int PARTITIONS_DEFAULT = 6;
    private static final String PARTITIONS_DOC = "Partitions of every pipeline topic unless overridden with "
            + "topics.<topic>.partitions. Partitions bound how many processor and sink instances share the work.";

    public static final String REPLICATION_FACTOR_CONFIG = "topics.replication.factor";
    public static final short REPLICATION_FACTOR_DEFAULT = -1;
    private static final String REPLICATION_FACTOR_DOC = "Replicas of every pipeline topic; -1 uses the broker's "
            + "default.replication.factor.";

    static final Set<String> PER_TOPIC_SETTINGS = Set.of("partitions", "retention.ms", "cleanup.policy");

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(PARTITIONS_CONFIG, Type.INT, PARTITIONS_DEFAULT, ConfigDef.Range.atLeast(1), Importance.MEDIUM, PARTITIONS_DOC)
            .define(REPLICATION_FACTOR_CONFIG, Type.SHORT, REPLICATION_FACTOR_DEFAULT, (name, value) -> {
                short v = (Short) value;
                if (v != -1 && v < 1) {
                    throw new ConfigException(name, value, "must be -1 (broker default) or at least 1");
                }
            }, Importance.MEDIUM, REPLICATION_FACTOR_DOC);

    private final Map<Topic, TopicSettings> settings;

    public TopicCatalogueConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        this.settings = resolve(originals);
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Settings of one topic after defaults and overrides. */
    public TopicSettings settings(Topic topic) {
        return settings.get(topic);
    }

    /** Effective settings of one topic. */
    public record TopicSettings(int partitions, short replicationFactor, long retentionMs, String cleanupPolicy) {
    }

    private Map<Topic, TopicSettings> resolve(Map<String, ?> originals) {
        Map<Topic, TopicSettings> result = new EnumMap<>(Topic.class);
        for (Topic topic : Topic.values()) {
            result.put(topic, new TopicSettings(getInt(PARTITIONS_CONFIG), getShort(REPLICATION_FACTOR_CONFIG),
                    topic.defaultRetentionMs(), topic.defaultCleanup().kafkaName()));
        }
        for (Map.Entry<String, ?> e : originals.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(PREFIX) || CONFIG.names().contains(key)) {
                continue;
            }
            String rest = key.substring(PREFIX.length());
            Topic topic = Stream.of(Topic.values())
                    .filter(t -> rest.startsWith(t.topicName() + "."))
                    .findFirst()
                    .orElseThrow(() -> new ConfigException(key, e.getValue(), "names no known topic; known topics: "
                            + Stream.of(Topic.values()).map(Topic::topicName).collect(Collectors.joining(", "))));
            String setting = rest.substring(topic.topicName().length() + 1);
            TopicSettings s = result.get(topic);
            String value = String.valueOf(e.getValue()).trim();
            result.put(topic, switch (setting) {
                case "partitions" -> new TopicSettings(positiveInt(key, value), s.replicationFactor(), s.retentionMs(), s.cleanupPolicy());
                case "retention.ms" -> new TopicSettings(s.partitions(), s.replicationFactor(), retention(key, value), s.cleanupPolicy());
                case "cleanup.policy" -> new TopicSettings(s.partitions(), s.replicationFactor(), s.retentionMs(), cleanup(key, value));
                default -> throw new ConfigException(key, e.getValue(), "unknown per-topic setting '" + setting
                        + "'; use one of " + PER_TOPIC_SETTINGS);
            });
        }
        return result;
    }

    private static int positiveInt(String key, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the key
        }
        throw new ConfigException(key, value, "must be an integer of at least 1");
    }

    private static long retention(String key, String value) {
        try {
            long n = Long.parseLong(value);
            if (n == -1 || n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the key
        }
        throw new ConfigException(key, value, "must be -1 (forever) or a positive number of milliseconds");
    }

    private static String cleanup(String key, String value) {
        for (Topic.Cleanup c : Topic.Cleanup.values()) {
            if (c.kafkaName().equals(value)) {
                return value;
            }
        }
        throw new ConfigException(key, value, "must be 'delete' or 'compact'");
    }
}
