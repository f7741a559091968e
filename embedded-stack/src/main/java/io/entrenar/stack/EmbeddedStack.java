package io.entrenar.stack;

import java.util.List;
import java.util.Map;

import io.entrenar.config.KafkaClients;
import io.entrenar.files.OwnerOnly;
import io.entrenar.schemas.TopicCatalogue;
import io.entrenar.stack.registry.SchemaRegistryServer;
import io.entrenar.stack.registry.SchemaRegistryServerConfig;
import org.apache.kafka.clients.admin.Admin;

/**
 * The one-machine deployment: a real KRaft broker with every pipeline topic, and a Confluent-API
 * schema registry persisted in that broker. Closing stops them in reverse order.
 */
public final class EmbeddedStack implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final SchemaRegistryServer registry;
    private final List<TopicCatalogue.Outcome> topics;

    private EmbeddedStack(EmbeddedKafka kafka, SchemaRegistryServer registry, List<TopicCatalogue.Outcome> topics) {
        this.kafka = kafka;
        this.registry = registry;
        this.topics = topics;
    }

    public static EmbeddedStack start(StackConfig config) {
        try {
            // Topics, offsets, the store and the secrets below it are the user's: nobody else on the machine reads them.
            OwnerOnly.directory(config.dataDir());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create the data directory " + config.dataDir() + ": " + e.getMessage(), e);
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(config.dataDir().resolve("kafka"), config.host(), config.kafkaPort());
        // The stack's own broker, through its PLAINTEXT listener: no security settings to apply.
        try (Admin admin = new KafkaClients(kafka.bootstrapServers(), Map.of(), "entrenar-stack").admin("topics", Map.of())) {
            List<TopicCatalogue.Outcome> topics = new TopicCatalogue(config.topics()).ensure(admin);
            SchemaRegistryServer registry = SchemaRegistryServer.start(new SchemaRegistryServerConfig(Map.of(
                    SchemaRegistryServerConfig.LISTENERS_CONFIG, "http://" + config.host() + ":" + config.registryPort(),
                    SchemaRegistryServerConfig.KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    SchemaRegistryServerConfig.SCHEMA_COMPATIBILITY_LEVEL_CONFIG, config.registryCompatibility().name(),
                    SchemaRegistryServerConfig.AUTHENTICATION_BASIC_USER_INFO_CONFIG, config.registryUserInfo(),
                    SchemaRegistryServerConfig.AUTHENTICATION_BASIC_ADMIN_USER_INFO_CONFIG, config.registryAdminUserInfo())));
            return new EmbeddedStack(kafka, registry, topics);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** Base URL of the schema registry, for {@code schema.registry.url}. */
    public String registryUrl() {
        return registry.url();
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Kafka clients of the stack's broker (its PLAINTEXT listener), with ids {@code <app>-<purpose>}. */
    public KafkaClients clients(String app) {
        return new KafkaClients(bootstrapServers(), Map.of(), app);
    }

    /** What the topic catalogue did at start. */
    public List<TopicCatalogue.Outcome> topics() {
        return topics;
    }

    @Override
    public void close() {
        registry.close();
        kafka.close();
    }
}
