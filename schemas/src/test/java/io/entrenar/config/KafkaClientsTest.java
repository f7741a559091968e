package io.entrenar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
    private static final String SECRET = "pw-" + UUID.randomUUID();
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\""
            + SECRET + "\";";
    private static final Map<String, Object> SASL = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
            "sasl.jaas.config", JAAS);

    /** A prefix of its own per test: client ids count per JVM. */
    private static String app() {
        return "test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void everyClientGetsTheServersTheSecurityKeysAndAClientIdNamingAppAndPurpose() {
        String app = app();
        KafkaClients clients = new KafkaClients(" 127.0.0.1:9092, 127.0.0.2:9092 ", SASL, app);
        Map<String, Object> c = clients.configs("dlq", Map.of("acks", "all"));
        assertEquals("127.0.0.1:9092,127.0.0.2:9092", c.get("bootstrap.servers"));
        assertEquals("SASL_PLAINTEXT", c.get("security.protocol"));
        assertEquals("PLAIN", c.get("sasl.mechanism"));
        assertEquals(JAAS, c.get("sasl.jaas.config"));
        assertEquals(app + "-dlq", c.get("client.id"));
        assertEquals("all", c.get("acks"));

        Properties streams = clients.streamsProperties(Map.of("application.id", "x", "producer.linger.ms", 5));
        assertEquals("SASL_PLAINTEXT", streams.get("security.protocol"));
        assertEquals(JAAS, streams.get("sasl.jaas.config"));
        assertEquals(5, streams.get("producer.linger.ms"));
        assertEquals(app + "-streams", streams.get("client.id"));
    }

    @Test
    void overridesWinOverDefaultsButNotOverServersOrSecurity() {
        KafkaClients clients = new KafkaClients("127.0.0.1:9092", SASL, app());
        Map<String, Object> c = clients.configs("live", Map.of("client.id", "mine", "linger.ms", 7));
        assertEquals("mine", c.get("client.id"), "a client id of its own wins");
        assertEquals(7, c.get("linger.ms"));
        Map<String, Object> same = clients.configs("live", Map.of("security.protocol", "SASL_PLAINTEXT", "bootstrap.servers", "127.0.0.1:9092"));
        assertEquals("SASL_PLAINTEXT", same.get("security.protocol"), "repeating the app's own value is harmless");

        ConfigException plaintext = assertThrows(ConfigException.class,
                () -> clients.configs("live", Map.of("security.protocol", "PLAINTEXT")));
        assertTrue(plaintext.getMessage().startsWith("security.protocol"), plaintext.getMessage());
        ConfigException login = assertThrows(ConfigException.class,
                () -> clients.configs("live", Map.of("sasl.jaas.config", "other")));
        assertTrue(login.getMessage().contains("sasl.jaas.config"), login.getMessage());
        ConfigException added = assertThrows(ConfigException.class,
                () -> clients.configs("live", Map.of("ssl.truststore.location", "/tmp/x")));
        assertTrue(added.getMessage().contains("ssl.truststore.location"), "one client cannot add TLS either: " + added.getMessage());
        ConfigException servers = assertThrows(ConfigException.class,
                () -> clients.configs("live", Map.of("bootstrap.servers", "elsewhere:9092")));
        assertTrue(servers.getMessage().contains("bootstrap.servers"), servers.getMessage());
        ConfigException prefixed = assertThrows(ConfigException.class,
                () -> clients.streamsProperties(Map.of("main.consumer.security.protocol", "PLAINTEXT")));
        assertTrue(prefixed.getMessage().contains("main.consumer.security.protocol"), prefixed.getMessage());

        ConfigException withoutSecurity = assertThrows(ConfigException.class,
                () -> new KafkaClients("127.0.0.1:9092", Map.of(), app()).configs("x", Map.of("sasl.jaas.config", JAAS)));
        assertFalse(withoutSecurity.getMessage().contains(SECRET), "the refusal does not print the password: " + withoutSecurity.getMessage());
    }

    @Test
    void badInputFailsAtConstructionNamingTheKey() {
        for (String servers : new String[] {null, "", "  ", " , "}) {
            ConfigException e = assertThrows(ConfigException.class, () -> new KafkaClients(servers, Map.of(), "app"));
            assertTrue(e.getMessage().contains("bootstrap.servers") && e.getMessage().contains("at least one broker"), e.getMessage());
        }
        ConfigException port = assertThrows(ConfigException.class, () -> new KafkaClients("kafka-1:9092,kafka-2", Map.of(), "app"));
        assertTrue(port.getMessage().contains("bootstrap.servers") && port.getMessage().contains("'kafka-2' is not host:port"),
                port.getMessage());
        ConfigException notSecurity = assertThrows(ConfigException.class,
                () -> new KafkaClients("k:9092", Map.of("acks", "all"), "app"));
        assertTrue(notSecurity.getMessage().startsWith("acks is not a Kafka client security setting"), notSecurity.getMessage());
        ConfigException protocol = assertThrows(ConfigException.class,
                () -> new KafkaClients("k:9092", Map.of("security.protocol", "SASL_PLAIN"), "app"));
        assertTrue(protocol.getMessage().contains("security.protocol"), protocol.getMessage());
        if (System.getProperty("java.security.auth.login.config") == null) {
            ConfigException noLogin = assertThrows(ConfigException.class,
                    () -> new KafkaClients("k:9092", Map.of("security.protocol", "sasl_ssl"), "app"));
            assertTrue(noLogin.getMessage().contains("sasl.jaas.config"), noLogin.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new KafkaClients("k:9092", Map.of(), " "));
        assertThrows(IllegalArgumentException.class, () -> new KafkaClients("k:9092", Map.of(), "app").configs("", Map.of()));
    }

    @Test
    void twoClientsOfOnePurposeInOneJvmGetDistinctIds() {
        String app = app();
        KafkaClients clients = new KafkaClients("k:9092", Map.of(), app);
        assertEquals(app + "-live", clients.configs("live", Map.of()).get("client.id"));
        assertEquals(app + "-live-2", new KafkaClients("k:9092", Map.of(), app).configs("live", Map.of()).get("client.id"));
        assertEquals(app + "-other", clients.configs("other", Map.of()).get("client.id"));
    }

    @Test
    void anAppsConfigGivesServersAsStringOrListAndItsSecurityKeys() {
        ConfigDef def = ClientSecurity.define(new ConfigDef()
                .define("bootstrap.servers", ConfigDef.Type.LIST, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH, "")
                .define("schema.registry.url", ConfigDef.Type.STRING, "http://r:8081", ConfigDef.Importance.HIGH, ""));
        Map<String, Object> originals = new HashMap<>(SASL);
        originals.put("bootstrap.servers", "a:1,b:2");
        KafkaClients clients = KafkaClients.of(new AbstractConfig(def, originals, false), app());
        assertEquals("a:1,b:2", clients.bootstrapServers());
        assertEquals(SASL, clients.security());
    }

    @Test
    void theClientsAreBuiltWithTheirIds() {
        String app = app();
        KafkaClients clients = new KafkaClients("127.0.0.1:1", Map.of(), app);
        try (KafkaProducer<String, String> producer = clients.producer("p", Map.of("max.block.ms", 100), new StringSerializer(), new StringSerializer());
             KafkaConsumer<String, String> consumer = clients.consumer("c", Map.of(), new StringDeserializer(), new StringDeserializer());
             Admin admin = clients.admin("a", Map.of())) {
            assertEquals(Set.of(app + "-p"), clientIds(producer.metrics()));
            assertEquals(Set.of(app + "-c"), clientIds(consumer.metrics()));
            assertEquals(Set.of(app + "-a"), clientIds(admin.metrics()));
            producer.close(Duration.ZERO);
        }
    }

    private static Set<String> clientIds(Map<MetricName, ? extends Metric> metrics) {
        return metrics.keySet().stream().map(m -> m.tags().get("client-id")).filter(id -> id != null).collect(Collectors.toSet());
    }
}
