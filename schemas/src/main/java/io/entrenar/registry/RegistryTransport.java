package io.entrenar.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sends one REST call to the registry: picks a base URL, fails over to the next on I/O errors,
 * adds auth and content negotiation, and turns error answers into exceptions.
 */
final class RegistryTransport {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, "
            + "application/json; q=0.5";

    private final List<RegistryEndpoint> endpoints;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json;
    // Stick to the URL that answered last, so a dead first URL costs one timeout, not one per call.
    private final AtomicInteger preferred = new AtomicInteger();

    /** @param sslContext for https:// URLs; null = the JVM's default */
    RegistryTransport(List<RegistryEndpoint> endpoints, Duration timeout, ObjectMapper json, javax.net.ssl.SSLContext sslContext) {
        this.endpoints = List.copyOf(endpoints);
        this.timeout = timeout;
        this.json = json;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // registries speak HTTP/1.1; skip the h2c upgrade dance
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.http = builder.build();
    }

    /**
     * @param pathAndQuery starts with '/', path segments already URL-encoded
     * @param body         JSON body, or null for none
     * @param what         what the caller tries, for error messages
     * @return the parsed JSON answer of a 2xx response
     */
    JsonNode send(String method, String pathAndQuery, byte[] body, String what) {
        int n = endpoints.size();
        int start = preferred.get();
        List<String> failures = new ArrayList<>();
        IOException last = null;
        for (int i = 0; i < n; i++) {
            int index = (start + i) % n;
            RegistryEndpoint endpoint = endpoints.get(index);
            String url = endpoint.baseUrl() + pathAndQuery;
            HttpResponse<byte[]> response;
            try {
                response = http.send(request(endpoint, url, method, body), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                last = e;
                failures.add(method + " " + url + ": " + e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException(what + ": interrupted during " + method + " " + url, e);
            }
            if (index != start) {
                preferred.compareAndSet(start, index);
            }
            return parse(response, what, method + " " + url);
        }
        throw new RegistryUnavailableException(what + ": no schema registry reachable: " + String.join("; ", failures), last);
    }

    private HttpRequest request(RegistryEndpoint endpoint, String url, String method, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Accept", ACCEPT)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            b.header("Content-Type", CONTENT_TYPE);
        }
        if (endpoint.authorization() != null) {
            b.header("Authorization", endpoint.authorization());
        }
        return b.build();
    }

    private JsonNode parse(HttpResponse<byte[]> response, String what, String target) {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw RegistryErrors.fromResponse(json, what, target, status, response.body());
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException(what + ": " + target + " answered HTTP " + status
                    + " with a body that is not JSON: " + e.getMessage(), status, SchemaRegistryException.NO_RESPONSE, e);
        }
    }

    void close() {
        // HttpClient is AutoCloseable from Java 21 on; on 17 its threads die with the last reference.
        Object client = http;
        if (client instanceof AutoCloseable) {
            try {
                ((AutoCloseable) client).close();
            } catch (Exception ignored) {
                // closing releases threads only; nothing to report
            }
        }
    }
}
