package io.entrenar.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.entrenar.config.KafkaClients;
import io.entrenar.schemas.TopicCatalogue;
import io.entrenar.schemas.TopicCatalogueConfig;
import io.entrenar.stack.registry.SchemaRegistryServer;
import io.entrenar.stack.registry.SchemaRegistryServerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A broker whose second listener requires SASL/PLAIN, for the tests that prove an app's clients take
 * the security settings: every pipeline topic (one partition each, created through the open listener),
 * a schema registry (HTTP, or HTTPS with a certificate made by {@link TestTls}), and the settings a
 * user would write for them. Tests connect their apps to {@link #saslBootstrapServers()} only.
 *
 * <p>A JUnit extension for one test class: {@code @RegisterExtension static final SaslStack stack = SaslStack.http();}
 * starts it before the class's tests and stops it after them.
 */
public final class SaslStack implements BeforeAllCallback, AfterAllCallback {
    public static final String USER = "entrenar";

    private final boolean https;
    private final String secret = "s3cret-" + Long.toHexString(System.nanoTime());
    private Path dir;
    private TestTls tls;
    private EmbeddedKafka kafka;
    private SchemaRegistryServer registry;

    private SaslStack(boolean https) {
        this.https = https;
    }

    /** With a plain HTTP registry. */
    public static SaslStack http() {
        return new SaslStack(false);
    }

    /** With a registry served only over HTTPS, trusted through {@code schema.registry.ssl.truststore.*}. */
    public static SaslStack https() {
        return new SaslStack(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("entrenar-sasl-stack");
        tls = https ? TestTls.generate(dir) : null;
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), "127.0.0.1", 0, Map.of(USER, secret));
        try (Admin admin = new KafkaClients(kafka.bootstrapServers(), Map.of(), "test-setup").admin("topics", Map.of())) {
            new TopicCatalogue(new TopicCatalogueConfig(Map.of(TopicCatalogueConfig.PARTITIONS_CONFIG, 1))).ensure(admin);
        }
        Map<String, Object> registryConfig = new HashMap<>();
        registryConfig.put(SchemaRegistryServerConfig.KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        registryConfig.put(SchemaRegistryServerConfig.LISTENERS_CONFIG, (https ? "https" : "http") + "://127.0.0.1:0");
        if (https) {
            registryConfig.put(SchemaRegistryServerConfig.SSL_KEYSTORE_LOCATION_CONFIG, tls.keyStore().toString());
            registryConfig.put(SchemaRegistryServerConfig.SSL_KEYSTORE_PASSWORD_CONFIG, tls.password());
        }
        registry = SchemaRegistryServer.start(new SchemaRegistryServerConfig(registryConfig));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
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
        if (https) {
            m.put("schema.registry.ssl.truststore.location", tls.trustStore().toString());
            m.put("schema.registry.ssl.truststore.password", tls.password());
        }
        return m;
    }

    /** Clients of the SASL listener with the right credentials, for a test's own producers and consumers. */
    public KafkaClients clients(String app) {
        return new KafkaClients(saslBootstrapServers(), sasl(secret), app);
    }
}
