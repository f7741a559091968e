package io.entrenar.stack;

import java.util.List;
import java.util.Map;

import io.entrenar.schemas.TopicCatalogue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The one-machine deployment: a real KRaft broker with every pipeline topic, and a Confluent-API
 * schema registry persisted in that broker. Closing stops them in reverse order.
 */
public final class EmbeddedStack implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final List<TopicCatalogue.Outcome> topics;

    private EmbeddedStack(EmbeddedKafka kafka, List<TopicCatalogue.Outcome> topics) {
        this.kafka = kafka;
        this.topics = topics;
    }

    public static EmbeddedStack start(StackConfig config) {
        EmbeddedKafka kafka = EmbeddedKafka.start(config.dataDir().resolve("kafka"), config.host(), config.kafkaPort());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            List<TopicCatalogue.Outcome> topics = new TopicCatalogue(config.topics()).ensure(admin);
            return new EmbeddedStack(kafka, topics);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** What the topic catalogue did at start. */
    public List<TopicCatalogue.Outcome> topics() {
        return topics;
    }

    @Override
    public void close() {
        kafka.close();
    }
}
