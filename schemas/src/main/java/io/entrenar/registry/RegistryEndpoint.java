package io.entrenar.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.kafka.common.config.ConfigException;

/**
 * One registry base URL with the {@code Authorization} header to send to it (null for none).
 * {@code baseUrl} never holds credentials, so it is safe to put into messages and logs.
 */
record RegistryEndpoint(String baseUrl, String authorization) {

    /**
     * @param userInfo {@code user:password} to send, or null to use what the URL embeds
     *                 (or nothing when it embeds none)
     */
    static RegistryEndpoint parse(String configKey, String url, String userInfo) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException(configKey, url, "not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new ConfigException(configKey, redact(uri), "must be an http:// or https:// URL");
        }
        if (uri.getHost() == null) {
            throw new ConfigException(configKey, redact(uri), "has no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException(configKey, redact(uri), "must not have a query or fragment");
        }
        String credentials = userInfo != null ? userInfo
                : uri.getRawUserInfo() == null ? null
                : URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
        return new RegistryEndpoint(redact(uri), credentials == null ? null : basic(credentials));
    }

    static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    /** scheme://host[:port][/path], without credentials or a trailing slash. */
    private static String redact(URI uri) {
        StringBuilder b = new StringBuilder().append(uri.getScheme().toLowerCase()).append("://").append(uri.getHost());
        if (uri.getPort() != -1) {
            b.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return b.append(path).toString();
    }

    @Override
    public String toString() {
        return baseUrl; // never print the credentials
    }
}
