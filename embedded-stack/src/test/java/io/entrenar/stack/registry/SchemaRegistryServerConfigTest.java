package io.entrenar.stack.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import io.entrenar.registry.CompatibilityLevel;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SchemaRegistryServerConfigTest {

    private static SchemaRegistryServerConfig config(Object... keyValues) {
        Map<String, Object> props = new HashMap<>();
        props.put(SchemaRegistryServerConfig.KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new SchemaRegistryServerConfig(props);
    }

    @Test
    void defaults() {
        SchemaRegistryServerConfig c = config();
        assertEquals("127.0.0.1", c.host());
        assertEquals(8081, c.port());
        assertEquals("_schemas", c.topic());
        assertEquals(CompatibilityLevel.BACKWARD, c.compatibilityLevel());
        assertNull(c.basicAuthUserInfo());
        assertEquals(1, c.topicReplicationFactor());
        assertEquals(4, c.httpThreads());
    }

    @Test
    void valuesAreValidated() {
        assertThrows(ConfigException.class, () -> new SchemaRegistryServerConfig(Map.of()));
        assertTrue(assertThrows(ConfigException.class, () -> config(SchemaRegistryServerConfig.LISTENERS_CONFIG, "https://0.0.0.0:8081"))
                .getMessage().contains("ssl.keystore.location"), "https needs a key store");
        assertThrows(ConfigException.class, () -> config(SchemaRegistryServerConfig.LISTENERS_CONFIG, "ftp://0.0.0.0:8081"));
        assertThrows(ConfigException.class, () -> config(SchemaRegistryServerConfig.LISTENERS_CONFIG, "http://host"));
        assertThrows(ConfigException.class,
                () -> config(SchemaRegistryServerConfig.LISTENERS_CONFIG, "http://a:1,http://b:2"));
        assertThrows(ConfigException.class, () -> config(SchemaRegistryServerConfig.KAFKASTORE_TOPIC_CONFIG, "bad topic"));
        assertThrows(ConfigException.class,
                () -> config(SchemaRegistryServerConfig.SCHEMA_COMPATIBILITY_LEVEL_CONFIG, "sideways"));
        assertThrows(ConfigException.class,
                () -> config(SchemaRegistryServerConfig.AUTHENTICATION_BASIC_USER_INFO_CONFIG, "nopassword"));
        assertThrows(ConfigException.class, () -> config(SchemaRegistryServerConfig.KAFKASTORE_TIMEOUT_CONFIG, 90_000));
    }

    @Test
    void freePortAndLowercaseLevel() {
        SchemaRegistryServerConfig c = config(SchemaRegistryServerConfig.LISTENERS_CONFIG, "http://[::1]:0",
                SchemaRegistryServerConfig.SCHEMA_COMPATIBILITY_LEVEL_CONFIG, "full_transitive");
        assertEquals("::1", c.host());
        assertEquals(0, c.port());
        assertEquals(CompatibilityLevel.FULL_TRANSITIVE, c.compatibilityLevel());
    }
}
