package io.entrenar.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The operations endpoint every app exposes: {@code GET /metrics} (Prometheus text format),
 * {@code GET /health/live} (the process answers) and {@code GET /health/ready} (200 when every
 * readiness check passes, else 503 listing the failing ones), for orchestrators' probes.
 */
public final class OpsServer implements AutoCloseable {
    /** One readiness condition: null when ready, else why not. */
    public interface Check extends Supplier<String> {
    }

    private static final int WORKERS = 4;

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** @param port 0 picks a free port */
    public static OpsServer start(String host, int port, Metrics metrics, Map<String, Check> readiness) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            // A few threads: a readiness check that waits on a busy store must not hold up the scrape of /metrics.
            ExecutorService executor = Executors.newFixedThreadPool(WORKERS,
                    Thread.ofPlatform().daemon().name("entrenar-ops-", 1).factory());
            server.setExecutor(executor);
            HttpContext scrape = server.createContext("/metrics",
                    e -> respond(e, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
            HttpContext live = server.createContext("/health/live", e -> respond(e, 200, "application/json", "{\"status\":\"live\"}"));
            HttpContext ready = server.createContext("/health/ready", e -> {
                Map<String, String> failing = new LinkedHashMap<>();
                readiness.forEach((name, check) -> {
                    String problem;
                    try {
                        problem = check.get();
                    } catch (RuntimeException ex) {
                        problem = ex.toString();
                    }
                    if (problem != null) {
                        failing.put(name, problem);
                    }
                });
                respond(e, failing.isEmpty() ? 200 : 503, "application/json", failing.isEmpty()
                        ? "{\"status\":\"ready\"}" : "{\"status\":\"not ready\",\"failing\":" + json(failing) + "}");
            });
            BrowserGuard.install(server, List.of(), List.of(), scrape, live, ready);
            BodyLimit.install(0, scrape, live, ready); // probes and scrapes send no body
            server.start();
            return new OpsServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " for /metrics and /health", e);
        }
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String json(Map<String, String> map) {
        StringBuilder b = new StringBuilder("{");
        map.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(quote(k)).append(':').append(quote(v)));
        return b.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
