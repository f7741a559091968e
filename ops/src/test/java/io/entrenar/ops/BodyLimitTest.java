package io.entrenar.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Oversized bodies against a real server: declared ones never reach the handler, chunked ones stop at the limit. */
class BodyLimitTest {

    private HttpServer server;
    private final AtomicInteger handled = new AtomicInteger();
    private final AtomicLong bodyRead = new AtomicLong();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        BodyLimit.install(1024, server.createContext("/", e -> {
            handled.incrementAndGet();
            int status;
            try (InputStream in = e.getRequestBody()) {
                bodyRead.set(in.readAllBytes().length);
                status = 200;
            } catch (java.io.IOException tooBig) {
                status = 413;
            }
            e.sendResponseHeaders(status, -1);
            e.close();
        }));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Test
    void aDeclaredOversizedBodyIsRefusedBeforeTheHandler() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri())
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(4096))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode());
        assertTrue(r.body().contains("at most 1024 bytes"), r.body());
        assertEquals(0, handled.get());
    }

    @Test
    void aChunkedBodyStopsAtTheLimit() throws Exception {
        // no Content-Length: the body arrives chunked, so only reading it can tell
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri()).POST(HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(new byte[1 << 20]))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode());
        } catch (java.io.IOException closed) {
            // The server answers and closes while the client is still sending the rest of the megabyte: depending
            // on timing the client sees the 413 or only the closed connection. Either way the body was refused.
        }
        assertEquals(0, bodyRead.get(), "the handler never got the body whole");
        assertEquals(1, handled.get(), "it ran once and stopped reading at the limit");
    }

    @Test
    void bodiesWithinTheLimitArriveWhole() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri())
                .POST(HttpRequest.BodyPublishers.ofString("y".repeat(1024))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(1024, bodyRead.get());
    }
}
