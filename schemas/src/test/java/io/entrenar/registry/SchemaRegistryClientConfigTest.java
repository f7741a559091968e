package io.entrenar.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientConfigTest {
    private static final String URL = SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG;
    private static final String SOURCE = SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG;
    private static final String USER_INFO = SchemaRegistryClientConfig.USER_INFO_CONFIG;

    @Test
    void defaults() {
        SchemaRegistryClientConfig config = new SchemaRegistryClientConfig(Map.of(URL, "http://a:8081/, http://b:8081"));
        assertEquals(List.of("http://a:8081", "http://b:8081"), config.urls());
        assertEquals(10_000, config.requestTimeoutMs());
        assertEquals(1000, config.maxSchemasPerSubject());
        assertNull(config.endpoints().get(0).authorization());
    }

    @Test
    void aStaticBearerTokenIsSentToEveryUrlAndExcludesBasicAuth() {
        String source = SchemaRegistryClientConfig.BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG;
        String token = SchemaRegistryClientConfig.BEARER_AUTH_TOKEN_CONFIG;
        SchemaRegistryClientConfig config = new SchemaRegistryClientConfig(Map.of(URL, "https://a:8081,https://b:8081",
                source, "STATIC_TOKEN", token, "tok-123"));
        assertEquals(List.of("Bearer tok-123", "Bearer tok-123"), config.endpoints().stream().map(RegistryEndpoint::authorization).toList());
        assertThrows(ConfigException.class, () -> new SchemaRegistryClientConfig(Map.of(URL, "https://a:8081", source, "STATIC_TOKEN")));
        assertThrows(ConfigException.class, () -> new SchemaRegistryClientConfig(Map.of(URL, "https://a:8081", token, "tok-123")));
        assertThrows(ConfigException.class, () -> new SchemaRegistryClientConfig(Map.of(URL, "https://u:p@a:8081",
                source, "STATIC_TOKEN", token, "tok-123")));
        assertThrows(ConfigException.class, () -> new SchemaRegistryClientConfig(Map.of(URL, "https://a:8081", SOURCE, "USER_INFO",
                USER_INFO, "u:p", source, "STATIC_TOKEN", token, "tok-123")));
    }

    @Test
    void trustStoresMustBeReadable() {
        ConfigException e = assertThrows(ConfigException.class, () -> new SchemaRegistryClientConfig(Map.of(URL, "https://a:8081",
                SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION_CONFIG, "/nonexistent/trust.p12")));
        assertTrue(e.getMessage().contains("schema.registry.ssl.truststore.location"), e.getMessage());
    }

    @Test
    void urlsAreRequiredAndMustBeHttp() {
        assertThrows(ConfigException.class, () -> new SchemaRegistryClientConfig(Map.of()));
        assertThrows(ConfigException.class, () -> new SchemaRegistryClientConfig(Map.of(URL, "")));
        assertThrows(ConfigException.class, () -> new SchemaRegistryClientConfig(Map.of(URL, "ftp://a:1")));
        assertThrows(ConfigException.class, () -> new SchemaRegistryClientConfig(Map.of(URL, "localhost:8081")));
        assertThrows(ConfigException.class, () -> new SchemaRegistryClientConfig(Map.of(URL, "http://a:1/?x=1")));
        assertThrows(ConfigException.class, () -> new SchemaRegistryClientConfig(Map.of(URL, "http://a:1",
                SchemaRegistryClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 0)));
    }

    @Test
    void userInfoSourceNeedsUserAndPassword() {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> new SchemaRegistryClientConfig(Map.of(URL, "http://a:1", SOURCE, "USER_INFO")));
        assertTrue(missing.getMessage().contains(USER_INFO), missing.getMessage());
        assertThrows(ConfigException.class,
                () -> new SchemaRegistryClientConfig(Map.of(URL, "http://a:1", SOURCE, "USER_INFO", USER_INFO, "nocolon")));
        ConfigException ignored = assertThrows(ConfigException.class,
                () -> new SchemaRegistryClientConfig(Map.of(URL, "http://a:1", USER_INFO, "u:p")));
        assertFalse(ignored.getMessage().contains("u:p"), "no password in messages: " + ignored.getMessage());
        assertThrows(ConfigException.class, () -> new SchemaRegistryClientConfig(Map.of(URL, "http://a:1", SOURCE, "SASL")));

        SchemaRegistryClientConfig config = new SchemaRegistryClientConfig(Map.of(URL, "http://a:1", SOURCE, "user_info",
                USER_INFO, "u:p"));
        assertEquals("Basic dTpw", config.endpoints().get(0).authorization());
    }

    @Test
    void urlSourceTakesCredentialsFromEachUrlAndKeepsThemOutOfMessages() {
        SchemaRegistryClientConfig config = new SchemaRegistryClientConfig(Map.of(URL, "http://u:p@a:1/ccompat,http://b:2"));
        assertEquals(List.of("http://a:1/ccompat", "http://b:2"), config.urls());
        assertEquals("Basic dTpw", config.endpoints().get(0).authorization());
        assertNull(config.endpoints().get(1).authorization());
        assertFalse(config.endpoints().toString().contains("u:p"));
    }
}
