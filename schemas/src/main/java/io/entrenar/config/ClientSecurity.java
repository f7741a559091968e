package io.entrenar.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.entrenar.registry.SchemaRegistryClientConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The client security keys every app accepts, named as Kafka and Confluent name them so that an
 * existing client configuration carries over: {@code security.protocol}, {@code ssl.*} and
 * {@code sasl.*} go to every Kafka client of the app; {@code basic.auth.*}, {@code bearer.auth.*} and
 * {@code schema.registry.ssl.*} to its schema registry client.
 */
public final class ClientSecurity {
    private ClientSecurity() {
    }

    /** Adds the keys, with Kafka's own defaults and docs, to an app's definition. */
    public static ConfigDef define(ConfigDef def) {
        def.define(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, ConfigDef.Type.STRING, CommonClientConfigs.DEFAULT_SECURITY_PROTOCOL,
                        ConfigDef.CaseInsensitiveValidString.in(SecurityProtocol.names().toArray(new String[0])),
                        ConfigDef.Importance.MEDIUM, CommonClientConfigs.SECURITY_PROTOCOL_DOC)
                .withClientSslSupport()
                .withClientSaslSupport();
        ConfigDef registry = SchemaRegistryClientConfig.configDef();
        for (ConfigDef.ConfigKey key : registry.configKeys().values()) {
            if (!key.name.equals(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG) && !def.names().contains(key.name)) {
                def.define(key);
            }
        }
        return def;
    }

    /**
     * Checks what Kafka would only notice when a client connects: a SASL protocol without a JAAS
     * login, unreadable stores; and builds the registry client's settings once (URLs, auth, TLS stores).
     */
    public static void validate(AbstractConfig config) {
        requireLogin(config.getString(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG), config.getPassword(SaslConfigs.SASL_JAAS_CONFIG) != null);
        for (String key : new String[] {SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG}) {
            String location = config.getString(key);
            if (location != null && !location.isEmpty() && !Files.isReadable(Path.of(location))) {
                throw new ConfigException(key, location, "no readable file there");
            }
        }
        new SchemaRegistryClientConfig(registryClientConfigs(config));
    }

    /**
     * A SASL protocol needs a JAAS login ({@code sasl.jaas.config}, or a JAAS file named by
     * {@code -Djava.security.auth.login.config}); Kafka would only say so when a client connects.
     */
    static void requireLogin(String protocol, boolean hasJaasConfig) {
        String p = protocol == null ? "" : protocol.toUpperCase(Locale.ROOT);
        if (p.startsWith("SASL") && !hasJaasConfig && System.getProperty("java.security.auth.login.config") == null) {
            throw new ConfigException(SaslConfigs.SASL_JAAS_CONFIG, null, "is required with security.protocol=" + p
                    + ", e.g. org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";");
        }
    }

    /** Whether {@code key} is one of the Kafka client security keys: {@code security.protocol}, {@code ssl.*}, {@code sasl.*}. */
    public static boolean isKafkaSecurityKey(String key) {
        return key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) || key.startsWith("ssl.") || key.startsWith("sasl.");
    }

    /** {@code security.protocol}, {@code ssl.*} and {@code sasl.*} as given, for Kafka clients. */
    public static Map<String, Object> kafkaClientConfigs(AbstractConfig config) {
        Map<String, Object> out = new HashMap<>();
        config.originals().forEach((k, v) -> {
            if (isKafkaSecurityKey(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * {@code schema.registry.url} and the registry client's auth and TLS keys as given; the URL is the
     * app's default when it has one and none was given.
     */
    public static Map<String, Object> registryClientConfigs(AbstractConfig config) {
        Map<String, Object> out = new HashMap<>();
        java.util.Set<String> names = SchemaRegistryClientConfig.configDef().names();
        config.originals().forEach((k, v) -> {
            if (names.contains(k)) {
                out.put(k, v);
            }
        });
        Object url = config.values().get(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG);
        if (url != null) {
            out.putIfAbsent(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, url);
        }
        return out;
    }
}
