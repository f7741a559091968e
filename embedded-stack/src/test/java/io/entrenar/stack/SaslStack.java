package io.entrenar.stack;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.entrenar.config.KafkaClients;
import io.entrenar.schemas.TopicCatalogue;
import io.entrenar.schemas.TopicCatalogueConfig;
import io.entrenar.stack.registry.SchemaRegistryServer;
import io.entrenar.stack.registry.SchemaRegistryServerConfig;
import org.apache.kafka.clients.admin.Admin;

/**
 * A broker whose second listener requires SASL/PLAIN, for the tests that prove an app's clients take
 * the security settings: every pipeline topic (one partition each, created through the open listener),
 * a schema registry (served over HTTPS when given {@link TestTls}), and the settings a user would
 * write for them. Tests connect their apps to {@link #saslBootstrapServers()} only.
 */
public final class SaslStack implements AutoCloseable {
    public static final String USER = "entrenar";

    private final String secret = "s3cret-" + Long.toHexString(System.nanoTime());
    private final EmbeddedKafka kafka;
    private final SchemaRegistryServer registry;
    private final TestTls tls;

    private SaslStack(Path dir, TestTls tls) {
        this.tls = tls;
        this.kafka = EmbeddedKafka.start(dir.resolve("kafka"), "127.0.0.1", 0, Map.of(USER, secret));
        try {
            try (Admin admin = new KafkaClients(kafka.bootstrapServers(), Map.of(), "test-setup").admin("topics", Map.of())) {
                new TopicCatalogue(new TopicCatalogueConfig(Map.of(TopicCatalogueConfig.PARTITIONS_CONFIG, 1))).ensure(admin);
            }
            Map<String, Object> registryConfig = new HashMap<>();
            registryConfig.put(SchemaRegistryServerConfig.KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            if (tls == null) {
                registryConfig.put(SchemaRegistryServerConfig.LISTENERS_CONFIG, "http://127.0.0.1:0");
            } else {
                registryConfig.put(SchemaRegistryServerConfig.LISTENERS_CONFIG, "https://127.0.0.1:0");
                registryConfig.put(SchemaRegistryServerConfig.SSL_KEYSTORE_LOCATION_CONFIG, tls.keyStore().toString());
                registryConfig.put(SchemaRegistryServerConfig.SSL_KEYSTORE_PASSWORD_CONFIG, tls.password());
            }
            this.registry = SchemaRegistryServer.start(new SchemaRegistryServerConfig(registryConfig));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** @param tls the registry's certificate, or null for a plain HTTP registry */
    public static SaslStack start(Path dir, TestTls tls) {
        return new SaslStack(dir, tls);
    }

    /** The listener that requires SASL/PLAIN. */
    public String saslBootstrapServers() {
        return kafka.saslBootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    /** The password of {@link #USER}. */
    public String secret() {
        return secret;
    }

    /** {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} for {@link #USER} with {@code password}. */
    public static Map<String, Object> sasl(String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USER
                        + "\" password=\"" + password + "\";");
    }

    /** What a user writes into an app's config file for this cluster and registry, with {@code password}. */
    public Map<String, Object> secured(String password) {
        Map<String, Object> m = new HashMap<>(sasl(password));
        m.put("bootstrap.servers", saslBootstrapServers());
        m.put("schema.registry.url", registryUrl());
        if (tls != null) {
            m.put("schema.registry.ssl.truststore.location", tls.trustStore().toString());
            m.put("schema.registry.ssl.truststore.password", tls.password());
        }
        return m;
    }

    /** Clients of the SASL listener with the right credentials, for a test's own producers and consumers. */
    public KafkaClients clients(String app) {
        return new KafkaClients(saslBootstrapServers(), sasl(secret), app);
    }

    @Override
    public void close() {
        registry.close();
        kafka.close();
    }
}
