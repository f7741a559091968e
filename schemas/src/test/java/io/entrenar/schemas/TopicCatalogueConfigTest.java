package io.entrenar.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TopicCatalogueConfigTest {

    @Test
    void defaultsComeFromTheCatalogue() {
        TopicCatalogueConfig config = new TopicCatalogueConfig(Map.of());
        assertEquals(new TopicCatalogueConfig.TopicSettings(6, (short) -1, -1L, "delete"), config.settings(Topic.RUNS));
        assertEquals("compact", config.settings(Topic.LEADERBOARD).cleanupPolicy());
        assertEquals(7L * 24 * 3600 * 1000, config.settings(Topic.METRICS).retentionMs());
    }

    @Test
    void perTopicOverridesApplyToThatTopicOnly() {
        TopicCatalogueConfig config = new TopicCatalogueConfig(Map.of(
                "topics.partitions", "3",
                "topics.entrenar.metrics.v1.partitions", "12",
                "topics.entrenar.metric-stats.v1.retention.ms", "3600000",
                "topics.entrenar.alerts.v1.cleanup.policy", "compact"));
        assertEquals(12, config.settings(Topic.METRICS).partitions());
        assertEquals(3, config.settings(Topic.METRIC_STATS).partitions());
        assertEquals(3_600_000L, config.settings(Topic.METRIC_STATS).retentionMs());
        assertEquals("compact", config.settings(Topic.ALERTS).cleanupPolicy());
    }

    @Test
    void mistakesNameTheKey() {
        ConfigException unknownTopic = assertThrows(ConfigException.class,
                () -> new TopicCatalogueConfig(Map.of("topics.entrenar.metrcs.v1.partitions", "3")));
        assertTrue(unknownTopic.getMessage().contains("topics.entrenar.metrcs.v1.partitions"), unknownTopic.getMessage());
        assertTrue(unknownTopic.getMessage().contains("entrenar.metrics.v1"), "lists the known topics");

        ConfigException badSetting = assertThrows(ConfigException.class,
                () -> new TopicCatalogueConfig(Map.of("topics.entrenar.runs.v1.replicas", "3")));
        assertTrue(badSetting.getMessage().contains("unknown per-topic setting 'replicas'"), badSetting.getMessage());

        assertThrows(ConfigException.class, () -> new TopicCatalogueConfig(Map.of("topics.entrenar.runs.v1.partitions", "0")));
        assertThrows(ConfigException.class, () -> new TopicCatalogueConfig(Map.of("topics.entrenar.runs.v1.cleanup.policy", "forever")));
        assertThrows(ConfigException.class, () -> new TopicCatalogueConfig(Map.of("topics.replication.factor", "0")));
        assertThrows(ConfigException.class, () -> new TopicCatalogueConfig(Map.of("topics.partitions", "many")));
    }
}
