package io.entrenar.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the schema registry client, named as Confluent's so that a serializer's existing
 * configuration works unchanged. Unknown keys (the rest of a producer's configs) are ignored.
 */
public final class SchemaRegistryClientConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Comma-separated registry base URLs, e.g. "
            + "http://127.0.0.1:8081. Requests go to one of them and fail over to the next on a "
            + "connection error or timeout. A URL may embed user:password@ (see "
            + "basic.auth.credentials.source) and a path prefix (e.g. Apicurio's /apis/ccompat/v7).";

    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_USER_INFO = "USER_INFO";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_URL = "URL";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_DEFAULT = BASIC_AUTH_CREDENTIALS_SOURCE_URL;
    private static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC = "Where HTTP basic auth credentials "
            + "come from: USER_INFO takes them from basic.auth.user.info; URL takes them from the "
            + "user:password@ part of each URL in schema.registry.url (no auth when a URL has none).";

    public static final String USER_INFO_CONFIG = "basic.auth.user.info";
    private static final String USER_INFO_DOC = "user:password for HTTP basic auth when "
            + "basic.auth.credentials.source=USER_INFO.";

    public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
    public static final int REQUEST_TIMEOUT_MS_DEFAULT = 10_000;
    private static final String REQUEST_TIMEOUT_MS_DOC = "Timeout in milliseconds for connecting to "
            + "one registry URL and, separately, for its answer; after it the next URL is tried.";

    public static final String MAX_SCHEMAS_PER_SUBJECT_CONFIG = "max.schemas.per.subject";
    public static final int MAX_SCHEMAS_PER_SUBJECT_DEFAULT = 1000;
    private static final String MAX_SCHEMAS_PER_SUBJECT_DOC = "How many distinct schemas the caching "
            + "client remembers per subject (Confluent's identity map capacity). More usually means "
            + "a schema object is built per record, which the cache then refuses loudly.";

    public static final String BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE_STATIC_TOKEN = "STATIC_TOKEN";
    private static final String BEARER_AUTH_CREDENTIALS_SOURCE_DOC = "Where a bearer token comes from: STATIC_TOKEN "
            + "(bearer.auth.token); empty = no bearer auth. Cannot be combined with basic auth.";

    public static final String BEARER_AUTH_TOKEN_CONFIG = "bearer.auth.token";
    private static final String BEARER_AUTH_TOKEN_DOC = "Token sent as Authorization: Bearer TOKEN when "
            + "bearer.auth.credentials.source=STATIC_TOKEN.";

    /** Prefix of the TLS settings of the registry client, as Confluent names them. */
    public static final String SSL_PREFIX = "schema.registry.";
    public static final String SSL_TRUSTSTORE_LOCATION_CONFIG = "schema.registry.ssl.truststore.location";
    private static final String SSL_TRUSTSTORE_LOCATION_DOC = "Trust store with the CA (or certificate) of https:// "
            + "registries; empty = the JVM's default trust store.";
    public static final String SSL_TRUSTSTORE_PASSWORD_CONFIG = "schema.registry.ssl.truststore.password";
    private static final String SSL_TRUSTSTORE_PASSWORD_DOC = "Password of the trust store.";
    public static final String SSL_TRUSTSTORE_TYPE_CONFIG = "schema.registry.ssl.truststore.type";
    private static final String SSL_TRUSTSTORE_TYPE_DOC = "Trust store format: PKCS12 or JKS.";
    public static final String SSL_KEYSTORE_LOCATION_CONFIG = "schema.registry.ssl.keystore.location";
    private static final String SSL_KEYSTORE_LOCATION_DOC = "Key store with this client's certificate and key, for "
            + "registries that require mutual TLS; empty = no client certificate.";
    public static final String SSL_KEYSTORE_PASSWORD_CONFIG = "schema.registry.ssl.keystore.password";
    private static final String SSL_KEYSTORE_PASSWORD_DOC = "Password of the key store.";
    public static final String SSL_KEYSTORE_TYPE_CONFIG = "schema.registry.ssl.keystore.type";
    private static final String SSL_KEYSTORE_TYPE_DOC = "Key store format: PKCS12 or JKS.";
    public static final String SSL_KEY_PASSWORD_CONFIG = "schema.registry.ssl.key.password";
    private static final String SSL_KEY_PASSWORD_DOC = "Password of the private key in the key store; empty = the key "
            + "store's password.";
    public static final String SSL_PROTOCOL_CONFIG = "schema.registry.ssl.protocol";
    private static final String SSL_PROTOCOL_DOC = "SSLContext protocol, e.g. TLSv1.3 or TLS (the highest both sides speak).";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, BASIC_AUTH_CREDENTIALS_SOURCE_DEFAULT,
                    ConfigDef.CaseInsensitiveValidString.in(BASIC_AUTH_CREDENTIALS_SOURCE_USER_INFO,
                            BASIC_AUTH_CREDENTIALS_SOURCE_URL),
                    Importance.MEDIUM, BASIC_AUTH_CREDENTIALS_SOURCE_DOC)
            .define(USER_INFO_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, USER_INFO_DOC)
            .define(REQUEST_TIMEOUT_MS_CONFIG, Type.INT, REQUEST_TIMEOUT_MS_DEFAULT, ConfigDef.Range.atLeast(1),
                    Importance.LOW, REQUEST_TIMEOUT_MS_DOC)
            .define(MAX_SCHEMAS_PER_SUBJECT_CONFIG, Type.INT, MAX_SCHEMAS_PER_SUBJECT_DEFAULT,
                    ConfigDef.Range.atLeast(1), Importance.LOW, MAX_SCHEMAS_PER_SUBJECT_DOC)
            .define(BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, "",
                    ConfigDef.CaseInsensitiveValidString.in("", BEARER_AUTH_CREDENTIALS_SOURCE_STATIC_TOKEN),
                    Importance.MEDIUM, BEARER_AUTH_CREDENTIALS_SOURCE_DOC)
            .define(BEARER_AUTH_TOKEN_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, BEARER_AUTH_TOKEN_DOC)
            .define(SSL_TRUSTSTORE_LOCATION_CONFIG, Type.STRING, "", Importance.MEDIUM, SSL_TRUSTSTORE_LOCATION_DOC)
            .define(SSL_TRUSTSTORE_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, SSL_TRUSTSTORE_PASSWORD_DOC)
            .define(SSL_TRUSTSTORE_TYPE_CONFIG, Type.STRING, "PKCS12",
                    ConfigDef.CaseInsensitiveValidString.in("PKCS12", "JKS"), Importance.LOW, SSL_TRUSTSTORE_TYPE_DOC)
            .define(SSL_KEYSTORE_LOCATION_CONFIG, Type.STRING, "", Importance.MEDIUM, SSL_KEYSTORE_LOCATION_DOC)
            .define(SSL_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, SSL_KEYSTORE_PASSWORD_DOC)
            .define(SSL_KEYSTORE_TYPE_CONFIG, Type.STRING, "PKCS12",
                    ConfigDef.CaseInsensitiveValidString.in("PKCS12", "JKS"), Importance.LOW, SSL_KEYSTORE_TYPE_DOC)
            .define(SSL_KEY_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.LOW, SSL_KEY_PASSWORD_DOC)
            .define(SSL_PROTOCOL_CONFIG, Type.STRING, "TLS", new ConfigDef.NonEmptyString(), Importance.LOW, SSL_PROTOCOL_DOC);

    private final List<RegistryEndpoint> endpoints;
    private final javax.net.ssl.SSLContext sslContext;

    /** @throws ConfigException when a value is missing, malformed or contradicts another */
    public SchemaRegistryClientConfig(Map<?, ?> props) {
        super(CONFIG, props, false);
        this.endpoints = List.copyOf(parseEndpoints());
        this.sslContext = RegistryTls.context(this);
    }

    /** The TLS context for https:// registries, or null for the JVM's default one. */
    javax.net.ssl.SSLContext sslContext() {
        return sslContext;
    }

    String password(String key) {
        Password p = getPassword(key);
        return p == null ? "" : p.value();
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    public int requestTimeoutMs() {
        return getInt(REQUEST_TIMEOUT_MS_CONFIG);
    }

    public int maxSchemasPerSubject() {
        return getInt(MAX_SCHEMAS_PER_SUBJECT_CONFIG);
    }

    /** The base URLs without credentials, for messages. */
    public List<String> urls() {
        List<String> urls = new ArrayList<>();
        for (RegistryEndpoint e : endpoints) {
            urls.add(e.baseUrl());
        }
        return urls;
    }

    List<RegistryEndpoint> endpoints() {
        return endpoints;
    }

    private List<RegistryEndpoint> parseEndpoints() {
        List<String> urls = getList(SCHEMA_REGISTRY_URL_CONFIG);
        if (urls.isEmpty() || urls.stream().allMatch(String::isBlank)) {
            throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, "", "at least one registry URL is required");
        }
        String source = getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG).toUpperCase(Locale.ROOT);
        Password password = getPassword(USER_INFO_CONFIG);
        String userInfo = password == null || password.value().isEmpty() ? null : password.value();
        if (source.equals(BASIC_AUTH_CREDENTIALS_SOURCE_USER_INFO)) {
            if (userInfo == null) {
                throw new ConfigException(USER_INFO_CONFIG, "[hidden]", BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG
                        + "=USER_INFO needs user:password in " + USER_INFO_CONFIG);
            }
            if (userInfo.indexOf(':') <= 0) {
                throw new ConfigException(USER_INFO_CONFIG, "[hidden]", "must be user:password");
            }
        } else if (userInfo != null) {
            // Confluent silently ignores it, which leaves people wondering why they get 401.
            throw new ConfigException(USER_INFO_CONFIG, "[hidden]", "is only used with "
                    + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + "=USER_INFO, but the source is " + source);
        }
        String bearerSource = getString(BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG).toUpperCase(Locale.ROOT);
        String token = password(BEARER_AUTH_TOKEN_CONFIG);
        String bearer = null;
        if (bearerSource.equals(BEARER_AUTH_CREDENTIALS_SOURCE_STATIC_TOKEN)) {
            if (token.isEmpty()) {
                throw new ConfigException(BEARER_AUTH_TOKEN_CONFIG, "[hidden]", BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG
                        + "=STATIC_TOKEN needs the token in " + BEARER_AUTH_TOKEN_CONFIG);
            }
            if (userInfo != null) {
                throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, bearerSource,
                        "cannot be combined with basic auth (" + USER_INFO_CONFIG + " is set)");
            }
            bearer = "Bearer " + token;
        } else if (!token.isEmpty()) {
            throw new ConfigException(BEARER_AUTH_TOKEN_CONFIG, "[hidden]", "is only used with "
                    + BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG + "=STATIC_TOKEN");
        }
        List<RegistryEndpoint> parsed = new ArrayList<>();
        for (String url : urls) {
            if (!url.isBlank()) {
                RegistryEndpoint endpoint = RegistryEndpoint.parse(SCHEMA_REGISTRY_URL_CONFIG, url, userInfo);
                if (bearer != null) {
                    if (endpoint.authorization() != null) {
                        throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, endpoint.baseUrl(),
                                "embeds user:password, which cannot be combined with bearer auth");
                    }
                    endpoint = new RegistryEndpoint(endpoint.baseUrl(), bearer);
                }
                parsed.add(endpoint);
            }
        }
        return parsed;
    }
}
