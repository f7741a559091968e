package io.entrenar.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.common.config.ConfigException;

/** Builds the registry client's TLS context from the {@code schema.registry.ssl.*} stores, failing at configuration time. */
final class RegistryTls {
    private RegistryTls() {
    }

    /** Null when neither store is configured: the JVM's default context then applies. */
    static SSLContext context(SchemaRegistryClientConfig config) {
        String trustLocation = config.getString(SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION_CONFIG);
        String keyLocation = config.getString(SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION_CONFIG);
        if (trustLocation.isEmpty() && keyLocation.isEmpty()) {
            return null;
        }
        try {
            TrustManagerFactory tmf = null;
            if (!trustLocation.isEmpty()) {
                KeyStore trust = load(SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION_CONFIG, trustLocation,
                        config.getString(SchemaRegistryClientConfig.SSL_TRUSTSTORE_TYPE_CONFIG),
                        config.password(SchemaRegistryClientConfig.SSL_TRUSTSTORE_PASSWORD_CONFIG));
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (!keyLocation.isEmpty()) {
                String storePassword = config.password(SchemaRegistryClientConfig.SSL_KEYSTORE_PASSWORD_CONFIG);
                String keyPassword = config.password(SchemaRegistryClientConfig.SSL_KEY_PASSWORD_CONFIG);
                KeyStore keys = load(SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION_CONFIG, keyLocation,
                        config.getString(SchemaRegistryClientConfig.SSL_KEYSTORE_TYPE_CONFIG), storePassword);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, (keyPassword.isEmpty() ? storePassword : keyPassword).toCharArray());
            }
            SSLContext context = SSLContext.getInstance(config.getString(SchemaRegistryClientConfig.SSL_PROTOCOL_CONFIG));
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException(SchemaRegistryClientConfig.SSL_PROTOCOL_CONFIG,
                    config.getString(SchemaRegistryClientConfig.SSL_PROTOCOL_CONFIG), "cannot set up TLS: " + e.getMessage());
        }
    }

    private static KeyStore load(String key, String location, String type, String password) {
        Path path = Path.of(location);
        if (!Files.isReadable(path)) {
            throw new ConfigException(key, location, "no readable file there");
        }
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key, location, "cannot read it as a " + type + " store (wrong password or type?): " + e.getMessage());
        }
    }
}
