package io.entrenar.alerting;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback whose answer to the n-th request (from 0) is scripted: a status,
 * or a delay before answering, to play a flaky, slow, or dead webhook.
 */
final class TestEndpoint implements AutoCloseable {
    record Answer(int status, long delayMillis, String retryAfter) {
        static Answer status(int status) {
            return new Answer(status, 0, null);
        }

        static Answer slow(long delayMillis) {
            return new Answer(200, delayMillis, null);
        }
    }

    record Received(long nanos, String body, String signature, String deliveryId, int answeredStatus) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger arrivals = new java.util.concurrent.atomic.AtomicInteger();
    private volatile IntFunction<Answer> script;

    TestEndpoint(IntFunction<Answer> script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                // by arrival, not by completed answers: a retry arriving while a slow first answer is
                // still being held must get the second answer, not the first one again
                Answer answer = this.script.apply(arrivals.getAndIncrement());
                if (answer.delayMillis() > 0) {
                    try {
                        Thread.sleep(answer.delayMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                received.add(new Received(System.nanoTime(), body, exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                        exchange.getRequestHeaders().getFirst("X-Entrenar-Delivery"), answer.status()));
                if (answer.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After", answer.retryAfter());
                }
                byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), reply.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply);
                }
            } catch (IOException e) {
                // the client gave up (timeout): it is still counted as received
            }
        });
        server.start();
    }

    void script(IntFunction<Answer> script) {
        this.script = script;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests that got a 2xx: what the receiver counts as delivered. */
    List<Received> accepted() {
        return received.stream().filter(r -> r.answeredStatus() / 100 == 2).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
