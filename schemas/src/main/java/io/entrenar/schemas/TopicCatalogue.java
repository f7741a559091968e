package io.entrenar.schemas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates every topic of {@link Topic} that is missing and brings existing ones to the configured
 * partitions, retention and cleanup policy. Running it again changes nothing.
 */
public final class TopicCatalogue {
    private final TopicCatalogueConfig config;

    public TopicCatalogue(TopicCatalogueConfig config) {
        this.config = config;
    }

    /** What {@link #ensure} did to one topic. */
    public record Outcome(Topic topic, Action action, String detail) {
    }

    public enum Action { CREATED, UPDATED, UNCHANGED }

    public List<Outcome> ensure(Admin admin) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<Outcome> outcomes = new ArrayList<>();
            List<NewTopic> toCreate = new ArrayList<>();
            for (Topic topic : Topic.values()) {
                TopicCatalogueConfig.TopicSettings s = config.settings(topic);
                if (!existing.contains(topic.topicName())) {
                    toCreate.add(new NewTopic(topic.topicName(), Optional.of(s.partitions()),
                            s.replicationFactor() == -1 ? Optional.empty() : Optional.of(s.replicationFactor()))
                            .configs(topicConfigs(s)));
                    outcomes.add(new Outcome(topic, Action.CREATED, s.partitions() + " partitions"));
                }
            }
            if (!toCreate.isEmpty()) {
                admin.createTopics(toCreate).all().get();
            }
            for (Topic topic : Topic.values()) {
                if (existing.contains(topic.topicName())) {
                    outcomes.add(update(admin, topic, config.settings(topic)));
                }
            }
            return outcomes;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the Entrenar topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    private static Outcome update(Admin admin, Topic topic, TopicCatalogueConfig.TopicSettings s)
            throws ExecutionException, InterruptedException {
        List<String> changes = new ArrayList<>();
        TopicDescription description = admin.describeTopics(List.of(topic.topicName())).allTopicNames().get().get(topic.topicName());
        int current = description.partitions().size();
        if (current < s.partitions()) {
            admin.createPartitions(Map.of(topic.topicName(), NewPartitions.increaseTo(s.partitions()))).all().get();
            changes.add("partitions " + current + " -> " + s.partitions());
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.topicName());
        var actual = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        List<AlterConfigOp> ops = new ArrayList<>();
        for (Map.Entry<String, String> wanted : topicConfigs(s).entrySet()) {
            ConfigEntry entry = actual.get(wanted.getKey());
            if (entry == null || !wanted.getValue().equals(entry.value())) {
                ops.add(new AlterConfigOp(new ConfigEntry(wanted.getKey(), wanted.getValue()), AlterConfigOp.OpType.SET));
                changes.add(wanted.getKey() + " -> " + wanted.getValue());
            }
        }
        if (!ops.isEmpty()) {
            admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
        }
        if (current > s.partitions()) {
            // Kafka cannot shrink a topic; say so instead of pretending.
            changes.add("has " + current + " partitions, more than the configured " + s.partitions() + " (kept)");
        }
        return changes.isEmpty()
                ? new Outcome(topic, Action.UNCHANGED, current + " partitions")
                : new Outcome(topic, Action.UPDATED, String.join(", ", changes));
    }

    private static Map<String, String> topicConfigs(TopicCatalogueConfig.TopicSettings s) {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, s.cleanupPolicy());
        configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(s.retentionMs()));
        return configs;
    }
}
