package io.entrenar.stack.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.entrenar.registry.CompatibilityLevel;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Settings of the embedded schema registry, named as Confluent's registry names them. */
public final class SchemaRegistryServerConfig extends AbstractConfig {

    public static final String LISTENERS_CONFIG = "listeners";
    public static final String LISTENERS_DEFAULT = "http://127.0.0.1:8081";
    private static final String LISTENERS_DOC = "The one http://host:port or https://host:port to listen on; port 0 "
            + "picks a free port (see SchemaRegistryServer.url()). https needs ssl.keystore.location.";

    public static final String SSL_KEYSTORE_LOCATION_CONFIG = "ssl.keystore.location";
    private static final String SSL_KEYSTORE_LOCATION_DOC = "Key store with the server's certificate and key, for an https listener.";
    public static final String SSL_KEYSTORE_PASSWORD_CONFIG = "ssl.keystore.password";
    private static final String SSL_KEYSTORE_PASSWORD_DOC = "Password of the key store.";
    public static final String SSL_KEYSTORE_TYPE_CONFIG = "ssl.keystore.type";
    private static final String SSL_KEYSTORE_TYPE_DOC = "Key store format: PKCS12 or JKS.";
    public static final String SSL_KEY_PASSWORD_CONFIG = "ssl.key.password";
    private static final String SSL_KEY_PASSWORD_DOC = "Password of the private key; empty = the key store's password.";

    public static final String KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG = "kafkastore.bootstrap.servers";
    private static final String KAFKASTORE_BOOTSTRAP_SERVERS_DOC = "Kafka brokers holding the schemas topic.";

    public static final String KAFKASTORE_TOPIC_CONFIG = "kafkastore.topic";
    public static final String KAFKASTORE_TOPIC_DEFAULT = "_schemas";
    private static final String KAFKASTORE_TOPIC_DOC = "The compacted topic that stores schemas and "
            + "compatibility levels; created (one partition, compacted) when missing.";

    public static final String KAFKASTORE_TOPIC_REPLICATION_FACTOR_CONFIG = "kafkastore.topic.replication.factor";
    public static final short KAFKASTORE_TOPIC_REPLICATION_FACTOR_DEFAULT = 1;
    private static final String KAFKASTORE_TOPIC_REPLICATION_FACTOR_DOC = "Replication factor of the schemas "
            + "topic when this registry creates it (1 suits the one-broker embedded stack; use 3 on a cluster).";

    public static final String KAFKASTORE_TIMEOUT_CONFIG = "kafkastore.timeout.ms";
    public static final int KAFKASTORE_TIMEOUT_DEFAULT = 10_000;
    private static final String KAFKASTORE_TIMEOUT_DOC = "How long a write may wait for the broker's "
            + "acknowledgement before the request fails with error code 50001.";

    public static final String KAFKASTORE_INIT_TIMEOUT_CONFIG = "kafkastore.init.timeout.ms";
    public static final int KAFKASTORE_INIT_TIMEOUT_DEFAULT = 60_000;
    private static final String KAFKASTORE_INIT_TIMEOUT_DOC = "How long start-up may take to create and read "
            + "the schemas topic.";

    public static final String SCHEMA_COMPATIBILITY_LEVEL_CONFIG = "schema.compatibility.level";
    public static final String SCHEMA_COMPATIBILITY_LEVEL_DEFAULT = "BACKWARD";
    private static final String SCHEMA_COMPATIBILITY_LEVEL_DOC = "The global compatibility level until one is "
            + "set with PUT /config: none, backward, backward_transitive, forward, forward_transitive, full "
            + "or full_transitive.";

    public static final String AUTHENTICATION_BASIC_USER_INFO_CONFIG = "authentication.basic.user.info";
    private static final String AUTHENTICATION_BASIC_USER_INFO_DOC = "user:password that every request must "
            + "present with HTTP basic auth; empty means no authentication. With "
            + "authentication.basic.admin.user.info set, this credential may only read (and look up and test "
            + "compatibility); without it, it may also change the registry.";

    public static final String AUTHENTICATION_BASIC_ADMIN_USER_INFO_CONFIG = "authentication.basic.admin.user.info";
    private static final String AUTHENTICATION_BASIC_ADMIN_USER_INFO_DOC = "user:password that may change the "
            + "registry: register schemas, delete subjects and versions, set compatibility (HTTP 403, error 40301, "
            + "for any other credential). It may also read. Empty: whoever may read may change.";

    public static final String HTTP_THREADS_CONFIG = "http.threads";
    public static final int HTTP_THREADS_DEFAULT = 4;
    private static final String HTTP_THREADS_DOC = "Threads serving HTTP requests.";

    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(SSL_KEYSTORE_LOCATION_CONFIG, Type.STRING, "", Importance.MEDIUM, SSL_KEYSTORE_LOCATION_DOC)
            .define(SSL_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, SSL_KEYSTORE_PASSWORD_DOC)
            .define(SSL_KEYSTORE_TYPE_CONFIG, Type.STRING, "PKCS12", ConfigDef.CaseInsensitiveValidString.in("PKCS12", "JKS"),
                    Importance.LOW, SSL_KEYSTORE_TYPE_DOC)
            .define(SSL_KEY_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.LOW, SSL_KEY_PASSWORD_DOC)
            .define(LISTENERS_CONFIG, Type.STRING, LISTENERS_DEFAULT, Importance.HIGH, LISTENERS_DOC)
            .define(KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    KAFKASTORE_BOOTSTRAP_SERVERS_DOC)
            .define(KAFKASTORE_TOPIC_CONFIG, Type.STRING, KAFKASTORE_TOPIC_DEFAULT, Importance.MEDIUM,
                    KAFKASTORE_TOPIC_DOC)
            .define(KAFKASTORE_TOPIC_REPLICATION_FACTOR_CONFIG, Type.SHORT, KAFKASTORE_TOPIC_REPLICATION_FACTOR_DEFAULT,
                    ConfigDef.Range.atLeast(1), Importance.MEDIUM, KAFKASTORE_TOPIC_REPLICATION_FACTOR_DOC)
            .define(KAFKASTORE_TIMEOUT_CONFIG, Type.INT, KAFKASTORE_TIMEOUT_DEFAULT, ConfigDef.Range.atLeast(1),
                    Importance.LOW, KAFKASTORE_TIMEOUT_DOC)
            .define(KAFKASTORE_INIT_TIMEOUT_CONFIG, Type.INT, KAFKASTORE_INIT_TIMEOUT_DEFAULT, ConfigDef.Range.atLeast(1),
                    Importance.LOW, KAFKASTORE_INIT_TIMEOUT_DOC)
            .define(SCHEMA_COMPATIBILITY_LEVEL_CONFIG, Type.STRING, SCHEMA_COMPATIBILITY_LEVEL_DEFAULT,
                    ConfigDef.CaseInsensitiveValidString.in(levelNames()), Importance.MEDIUM,
                    SCHEMA_COMPATIBILITY_LEVEL_DOC)
            .define(AUTHENTICATION_BASIC_USER_INFO_CONFIG, Type.PASSWORD, "", Importance.MEDIUM,
                    AUTHENTICATION_BASIC_USER_INFO_DOC)
            .define(AUTHENTICATION_BASIC_ADMIN_USER_INFO_CONFIG, Type.PASSWORD, "", Importance.MEDIUM,
                    AUTHENTICATION_BASIC_ADMIN_USER_INFO_DOC)
            .define(HTTP_THREADS_CONFIG, Type.INT, HTTP_THREADS_DEFAULT, ConfigDef.Range.between(1, 64),
                    Importance.LOW, HTTP_THREADS_DOC);

    private final String host;
    private final int port;
    private final boolean https;

    /** @throws ConfigException when a value is missing, malformed or contradicts another */
    public SchemaRegistryServerConfig(Map<?, ?> props) {
        super(CONFIG, props, false);
        URI listener = parseListener(getString(LISTENERS_CONFIG));
        this.host = listener.getHost().startsWith("[")
                ? listener.getHost().substring(1, listener.getHost().length() - 1)
                : listener.getHost();
        this.port = listener.getPort();
        this.https = "https".equalsIgnoreCase(listener.getScheme());
        if (https && getString(SSL_KEYSTORE_LOCATION_CONFIG).isEmpty()) {
            throw new ConfigException(SSL_KEYSTORE_LOCATION_CONFIG, "", "is required for the https listener " + getString(LISTENERS_CONFIG));
        }
        if (https && !java.nio.file.Files.isReadable(java.nio.file.Path.of(getString(SSL_KEYSTORE_LOCATION_CONFIG)))) {
            throw new ConfigException(SSL_KEYSTORE_LOCATION_CONFIG, getString(SSL_KEYSTORE_LOCATION_CONFIG), "no readable file there");
        }
        if (bootstrapServers().isBlank()) {
            throw new ConfigException(KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG, "", "at least one broker is required");
        }
        if (!TOPIC_NAME.matcher(topic()).matches() || topic().equals(".") || topic().equals("..")) {
            throw new ConfigException(KAFKASTORE_TOPIC_CONFIG, topic(), "not a valid Kafka topic name");
        }
        String userInfo = basicAuthUserInfo();
        if (userInfo != null && userInfo.indexOf(':') <= 0) {
            throw new ConfigException(AUTHENTICATION_BASIC_USER_INFO_CONFIG, "[hidden]", "must be user:password");
        }
        String adminInfo = adminUserInfo();
        if (adminInfo != null && adminInfo.indexOf(':') <= 0) {
            throw new ConfigException(AUTHENTICATION_BASIC_ADMIN_USER_INFO_CONFIG, "[hidden]", "must be user:password");
        }
        if (getInt(KAFKASTORE_INIT_TIMEOUT_CONFIG) < getInt(KAFKASTORE_TIMEOUT_CONFIG)) {
            throw new ConfigException(KAFKASTORE_INIT_TIMEOUT_CONFIG, getInt(KAFKASTORE_INIT_TIMEOUT_CONFIG),
                    "must be at least " + KAFKASTORE_TIMEOUT_CONFIG);
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    public String host() {
        return host;
    }

    /** The configured port; 0 means a free one. */
    public int port() {
        return port;
    }

    public String bootstrapServers() {
        return String.join(",", getList(KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG)).trim();
    }

    public String topic() {
        return getString(KAFKASTORE_TOPIC_CONFIG);
    }

    public short topicReplicationFactor() {
        return getShort(KAFKASTORE_TOPIC_REPLICATION_FACTOR_CONFIG);
    }

    public Duration kafkaStoreTimeout() {
        return Duration.ofMillis(getInt(KAFKASTORE_TIMEOUT_CONFIG));
    }

    public Duration kafkaStoreInitTimeout() {
        return Duration.ofMillis(getInt(KAFKASTORE_INIT_TIMEOUT_CONFIG));
    }

    public CompatibilityLevel compatibilityLevel() {
        return CompatibilityLevel.valueOf(getString(SCHEMA_COMPATIBILITY_LEVEL_CONFIG).toUpperCase(Locale.ROOT));
    }

    /** {@code user:password}, or null when authentication is off. */
    public String basicAuthUserInfo() {
        Password p = getPassword(AUTHENTICATION_BASIC_USER_INFO_CONFIG);
        return p == null || p.value().isEmpty() ? null : p.value();
    }

    /** {@code user:password} that may change the registry, or null when the reader's credential may. */
    public String adminUserInfo() {
        Password p = getPassword(AUTHENTICATION_BASIC_ADMIN_USER_INFO_CONFIG);
        return p == null || p.value().isEmpty() ? null : p.value();
    }

    /** True for an https:// listener. */
    public boolean https() {
        return https;
    }

    /** The server's TLS context from the ssl.keystore.* settings (https listeners only). */
    public javax.net.ssl.SSLContext sslContext() {
        String storePassword = getPassword(SSL_KEYSTORE_PASSWORD_CONFIG).value();
        String keyPassword = getPassword(SSL_KEY_PASSWORD_CONFIG).value();
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(getString(SSL_KEYSTORE_LOCATION_CONFIG)))) {
            java.security.KeyStore store = java.security.KeyStore.getInstance(getString(SSL_KEYSTORE_TYPE_CONFIG));
            store.load(in, storePassword.toCharArray());
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, (keyPassword.isEmpty() ? storePassword : keyPassword).toCharArray());
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new ConfigException(SSL_KEYSTORE_LOCATION_CONFIG, getString(SSL_KEYSTORE_LOCATION_CONFIG),
                    "cannot read the key store (wrong password or type?): " + e.getMessage());
        }
    }

    public int httpThreads() {
        return getInt(HTTP_THREADS_CONFIG);
    }

    private static URI parseListener(String value) {
        if (value.contains(",")) {
            throw new ConfigException(LISTENERS_CONFIG, value, "only one listener is supported");
        }
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException(LISTENERS_CONFIG, value, "not a URL: " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new ConfigException(LISTENERS_CONFIG, value, "must be http://host:port or https://host:port");
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new ConfigException(LISTENERS_CONFIG, value, "must name a host and a port, e.g. http://127.0.0.1:8081");
        }
        return uri;
    }

    private static String[] levelNames() {
        return List.of(CompatibilityLevel.values()).stream().map(Enum::name).toArray(String[]::new);
    }
}
