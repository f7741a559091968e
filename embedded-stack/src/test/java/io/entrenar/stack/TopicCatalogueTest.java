package io.entrenar.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.entrenar.schemas.Topic;
import io.entrenar.schemas.TopicCatalogue;
import io.entrenar.schemas.TopicCatalogueConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedStack.class)
class TopicCatalogueTest {

    @Test
    void theStackCreatedEveryTopicWithItsSettings() throws Exception {
        try (Admin admin = admin()) {
            Set<String> names = admin.listTopics().names().get();
            for (Topic topic : Topic.values()) {
                assertTrue(names.contains(topic.topicName()), topic.topicName());
                var config = describe(admin, topic.topicName());
                assertEquals(topic.defaultCleanup().kafkaName(), config.get("cleanup.policy").value(), topic + " cleanup");
                assertEquals(Long.toString(topic.defaultRetentionMs()), config.get("retention.ms").value(), topic + " retention");
            }
            assertEquals(2, admin.describeTopics(List.of(Topic.RUNS.topicName())).allTopicNames().get()
                    .get(Topic.RUNS.topicName()).partitions().size());
        }
    }

    @Test
    void ensuringAgainChangesNothingAndOverridesAreApplied() throws Exception {
        try (Admin admin = admin()) {
            List<TopicCatalogue.Outcome> again = new TopicCatalogue(new TopicCatalogueConfig(Map.of("topics.partitions", 2))).ensure(admin);
            assertEquals(Set.of(TopicCatalogue.Action.UNCHANGED),
                    again.stream().map(TopicCatalogue.Outcome::action).collect(Collectors.toSet()), again.toString());

            List<TopicCatalogue.Outcome> changed = new TopicCatalogue(new TopicCatalogueConfig(Map.of(
                    "topics.partitions", 2,
                    "topics.entrenar.eta.v1.partitions", 3,
                    "topics.entrenar.eta.v1.retention.ms", 3_600_000L))).ensure(admin);
            TopicCatalogue.Outcome eta = changed.stream().filter(o -> o.topic() == Topic.ETA).findFirst().orElseThrow();
            assertEquals(TopicCatalogue.Action.UPDATED, eta.action());
            assertEquals("partitions 2 -> 3, retention.ms -> 3600000", eta.detail());
            assertEquals(3, admin.describeTopics(List.of(Topic.ETA.topicName())).allTopicNames().get()
                    .get(Topic.ETA.topicName()).partitions().size());
            assertEquals("3600000", describe(admin, Topic.ETA.topicName()).get("retention.ms").value());
            assertEquals(Arrays.stream(Topic.values()).filter(t -> t != Topic.ETA).count(),
                    changed.stream().filter(o -> o.action() == TopicCatalogue.Action.UNCHANGED).count());

            // Kafka cannot shrink a topic: the catalogue says so and keeps it.
            TopicCatalogue.Outcome shrink = new TopicCatalogue(new TopicCatalogueConfig(Map.of(
                    "topics.partitions", 2, "topics.entrenar.eta.v1.retention.ms", 3_600_000L))).ensure(admin)
                    .stream().filter(o -> o.topic() == Topic.ETA).findFirst().orElseThrow();
            assertEquals("has 3 partitions, more than the configured 2 (kept)", shrink.detail());

            // Back to the catalogue's retention, for the other tests sharing this broker.
            new TopicCatalogue(new TopicCatalogueConfig(Map.of("topics.partitions", 2))).ensure(admin);
            assertEquals(Long.toString(Topic.ETA.defaultRetentionMs()), describe(admin, Topic.ETA.topicName()).get("retention.ms").value());
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers()));
    }

    private static org.apache.kafka.clients.admin.Config describe(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }
}
