package io.entrenar.alerting;

import io.entrenar.ops.BodyLimit;
import io.entrenar.ops.BrowserGuard;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local webhook endpoint that records what it receives, for the embedded stack and the demo:
 * POST anything under {@code /hooks/} to deliver; GET {@code /deliveries} lists the deliveries with
 * their signature check. Deliveries with a bad or missing signature are refused with 401 when a
 * secret is set, as a real receiver should.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One received request. */
    public record Delivery(Instant receivedAt, String path, String deliveryId, boolean signatureValid, JsonNode body) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String secret;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    private WebhookReceiver(HttpServer server, ExecutorService executor, String secret) {
        this.server = server;
        this.executor = executor;
        this.secret = secret;
    }

    /** @param secret HMAC secret to verify with, or null to accept unsigned deliveries */
    public static WebhookReceiver start(String host, int port, String secret) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> Thread.ofPlatform().daemon().name("webhook-receiver").unstarted(r));
        WebhookReceiver receiver = new WebhookReceiver(server, executor, secret);
        HttpContext hooks = server.createContext("/hooks/", receiver::receive);
        HttpContext deliveries = server.createContext("/deliveries", receiver::list);
        BrowserGuard.install(server, List.of(), List.of(), hooks, deliveries);
        BodyLimit.install(1 << 20, hooks, deliveries); // an alert is a few KiB
        server.setExecutor(executor);
        server.start();
        return receiver;
    }

    /** Base URL, e.g. http://127.0.0.1:PORT; deliver to {@code url() + "/hooks/NAME"}. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{\"error\":\"POST deliveries here\"}");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            boolean valid = secret != null && WebhookSignature.verify(secret,
                    exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER), body,
                    Instant.now().getEpochSecond(), WebhookSignature.DEFAULT_TOLERANCE_SECONDS);
            if (secret != null && !valid) {
                respond(exchange, 401, "{\"error\":\"missing or invalid " + WebhookSignature.HEADER + "\"}");
                return;
            }
            JsonNode json;
            try {
                json = Payloads.JSON.readTree(body);
            } catch (IOException e) {
                json = Payloads.JSON.getNodeFactory().textNode(new String(body, StandardCharsets.UTF_8));
            }
            deliveries.add(new Delivery(Instant.now(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("X-Entrenar-Delivery"), valid, json));
            respond(exchange, 200, "{\"ok\":true}");
        }
    }

    private void list(HttpExchange exchange) throws IOException {
        try (exchange) {
            ArrayNode array = Payloads.JSON.createArrayNode();
            for (Delivery d : new ArrayList<>(deliveries)) {
                ObjectNode n = array.addObject();
                n.put("received_at", d.receivedAt().toString()).put("path", d.path()).put("delivery_id", d.deliveryId())
                        .put("signature_valid", d.signatureValid()).set("body", d.body());
            }
            respond(exchange, 200, array.toString());
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
