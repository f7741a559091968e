package io.entrenar.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Builds every Kafka client of an app: producers, consumers, admin clients, and the settings of a
 * Kafka Streams instance. Each one gets the app's bootstrap servers, the app's security settings
 * ({@code security.protocol}, {@code ssl.*}, {@code sasl.*}, e.g. from
 * {@link ClientSecurity#kafkaClientConfigs}) and a {@code client.id} naming the app and what the
 * client is for ({@code entrenar-sink-dlq}).
 *
 * <p>Why one factory: a client built by hand is a client that can leave the security settings out,
 * and then tries PLAINTEXT against a cluster that requires SASL or TLS: it fails only once deployed
 * there, or quietly reads nothing (a live feed that never shows a point). Here the security settings
 * go into every client, and a client's own settings cannot replace them: an override naming
 * {@code bootstrap.servers} or a security key with another value is refused, naming the key.
 *
 * <p>Why the client ids: broker logs, quotas and client metrics tell clients apart by them. Two
 * clients of one purpose in one JVM (several trackers, the one-JVM stack) get {@code -2}, {@code -3}
 * appended, so that their metrics and JMX beans do not collide.
 *
 * <p>Immutable and thread-safe; the clients belong to the caller, who closes them.
 */
public final class KafkaClients {
    /** Kafka Streams' prefixes for the settings of one kind of its clients: security set there would bypass the app's too. */
    private static final List<String> STREAMS_CLIENT_PREFIXES = List.of("main.consumer.", "restore.consumer.", "global.consumer.",
            "consumer.", "producer.", "admin.");
    /** How many clients of each id this JVM has made. */
    private static final ConcurrentMap<String, AtomicInteger> CLIENT_IDS = new ConcurrentHashMap<>();

    private final String bootstrapServers;
    private final Map<String, Object> security;
    private final String clientIdPrefix;

    /**
     * @param bootstrapServers {@code host:port[,host:port...]}
     * @param security         the app's {@code security.protocol}, {@code ssl.*} and {@code sasl.*} settings;
     *                         empty for PLAINTEXT
     * @param clientIdPrefix   names the app in every client id, e.g. {@code entrenar-sink}
     * @throws ConfigException naming the key: no or malformed bootstrap servers, a key that is not a
     *                         security key, an unknown protocol, or a SASL protocol without a login
     */
    public KafkaClients(String bootstrapServers, Map<String, ?> security, String clientIdPrefix) {
        this.bootstrapServers = checkBootstrapServers(bootstrapServers);
        Map<String, Object> s = new HashMap<>();
        security.forEach((key, value) -> {
            if (!ClientSecurity.isKafkaSecurityKey(key)) {
                throw new ConfigException(key + " is not a Kafka client security setting (security.protocol, ssl.*, sasl.*): "
                        + "other client settings belong to the client that needs them");
            }
            if (value != null) {
                s.put(key, value);
            }
        });
        Object protocol = s.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        if (protocol != null && !SecurityProtocol.names().contains(text(protocol).toUpperCase(Locale.ROOT))) {
            throw new ConfigException(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol, "expected one of " + SecurityProtocol.names());
        }
        Object jaas = s.get(SaslConfigs.SASL_JAAS_CONFIG);
        ClientSecurity.requireLogin(protocol == null ? null : text(protocol), jaas != null && !text(jaas).isBlank());
        this.security = Collections.unmodifiableMap(s);
        if (clientIdPrefix == null || clientIdPrefix.isBlank()) {
            throw new IllegalArgumentException("a client.id prefix naming the app is required, e.g. entrenar-sink");
        }
        this.clientIdPrefix = clientIdPrefix.strip();
    }

    /**
     * The factory of an app whose config defines {@code bootstrap.servers} (a string or a list) and the
     * {@link ClientSecurity} keys.
     */
    public static KafkaClients of(AbstractConfig config, String clientIdPrefix) {
        Object servers = config.values().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        String bootstrap = servers instanceof List<?> ? String.join(",", ((List<?>) servers).stream().map(String::valueOf).toList())
                : servers == null ? null : servers.toString();
        return new KafkaClients(bootstrap, ClientSecurity.kafkaClientConfigs(config), clientIdPrefix);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The security settings every client gets. */
    public Map<String, Object> security() {
        return security;
    }

    /**
     * A producer.
     *
     * @param purpose   what the client is for, the end of its client id ({@code dlq}, {@code control})
     * @param overrides this client's own settings ({@code acks}, {@code linger.ms}, a {@code client.id} of
     *                  its own, ...): they win over the factory's defaults, not over the servers or security
     */
    public <K, V> KafkaProducer<K, V> producer(String purpose, Map<String, ?> overrides, Serializer<K> keys, Serializer<V> values) {
        return new KafkaProducer<>(configs(purpose, overrides), keys, values);
    }

    /** A consumer; see {@link #producer} for {@code purpose} and {@code overrides}. */
    public <K, V> KafkaConsumer<K, V> consumer(String purpose, Map<String, ?> overrides, Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(configs(purpose, overrides), keys, values);
    }

    /** An admin client; see {@link #producer} for {@code purpose} and {@code overrides}. */
    public Admin admin(String purpose, Map<String, ?> overrides) {
        return Admin.create(configs(purpose, overrides));
    }

    /**
     * The properties of a Kafka Streams instance ({@code new KafkaStreams(topology, properties)}; this
     * module does not depend on Kafka Streams): {@code settings} plus the servers, the security keys and
     * a {@code client.id}, which Kafka Streams uses as the prefix of its clients' ids. Security keys are
     * refused under Kafka Streams' client prefixes too ({@code producer.sasl.jaas.config}, ...).
     */
    public Properties streamsProperties(Map<String, ?> settings) {
        Properties p = new Properties();
        p.putAll(configs("streams", settings, STREAMS_CLIENT_PREFIXES));
        return p;
    }

    /** What a client of {@code purpose} is configured with. */
    Map<String, Object> configs(String purpose, Map<String, ?> overrides) {
        return configs(purpose, overrides, List.of());
    }

    private Map<String, Object> configs(String purpose, Map<String, ?> overrides, List<String> clientPrefixes) {
        if (purpose == null || purpose.isBlank()) {
            throw new IllegalArgumentException("a purpose naming the client is required, e.g. dlq");
        }
        Map<String, Object> c = new HashMap<>();
        overrides.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            refuseFixed(key, key, value);
            for (String prefix : clientPrefixes) {
                if (key.startsWith(prefix)) {
                    refuseFixed(key, key.substring(prefix.length()), value);
                }
            }
            c.put(key, value);
        });
        c.computeIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, k -> clientId(clientIdPrefix + "-" + purpose.strip()));
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.putAll(security);
        return c;
    }

    /** Refuses an override of the servers or of a security key that differs from the app's. */
    private void refuseFixed(String key, String name, Object value) {
        if (name.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) && !text(value).strip().equals(bootstrapServers)) {
            throw new ConfigException(key + ": the bootstrap servers are the app's (" + bootstrapServers
                    + "), the same for every client; " + text(value) + " cannot be set for one client");
        }
        if (ClientSecurity.isKafkaSecurityKey(name)
                && (!security.containsKey(name) || !text(security.get(name)).equals(text(value)))) {
            // the value is not shown: it may be a password
            throw new ConfigException(key + " is a security setting: the app's security.protocol, ssl.* and sasl.* go to "
                    + "every client alike and cannot be changed for one client");
        }
    }

    private static String clientId(String base) {
        int n = CLIENT_IDS.computeIfAbsent(base, k -> new AtomicInteger()).incrementAndGet();
        return n == 1 ? base : base + "-" + n;
    }

    private static String checkBootstrapServers(String servers) {
        List<String> addresses = new ArrayList<>();
        if (servers != null) {
            for (String s : servers.split(",")) {
                String address = s.strip();
                if (address.isEmpty()) {
                    continue;
                }
                if (!address.matches(".*[^:\\s]:[0-9]{1,5}") || address.chars().anyMatch(Character::isWhitespace)) {
                    throw new ConfigException(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers,
                            "'" + address + "' is not host:port");
                }
                addresses.add(address);
            }
        }
        if (addresses.isEmpty()) {
            throw new ConfigException(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers,
                    "at least one broker is required, as host:port[,host:port...]");
        }
        return String.join(",", addresses);
    }

    private static String text(Object value) {
        return value instanceof Password ? ((Password) value).value() : String.valueOf(value);
    }
}
