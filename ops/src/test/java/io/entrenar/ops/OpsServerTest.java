package io.entrenar.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class OpsServerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void metricsParseWithPrometheusOwnParserAndReadinessReportsWhy() throws Exception {
        AtomicLong delivered = new AtomicLong(41);
        AtomicReference<String> brokerProblem = new AtomicReference<>("no partitions assigned yet");
        Metrics metrics = new Metrics()
                .register("entrenar_test_delivered_total", Metrics.Type.COUNTER, "Deliveries.\nSecond line", delivered::get)
                .register("entrenar_test_lag", Metrics.Type.GAUGE, "Lag", () -> Double.NaN)
                .registerLabelled("entrenar_test_backlog", Metrics.Type.GAUGE, "Backlog per channel", () -> {
                    Map<Map<String, String>, Double> m = new LinkedHashMap<>();
                    m.put(Map.of("channel", "on\"call\\x\ny"), 3.0);
                    m.put(Map.of("channel", "slack"), 0.5);
                    return m;
                })
                .registerDynamic(() -> Map.of("client-metrics.records-lag", Map.of(
                        Map.of("client-id", "c1"), 7.0, Map.of("client-id", "c2"), Double.NaN)));
        Map<String, OpsServer.Check> readiness = Map.of("kafka", brokerProblem::get);
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, metrics, readiness)) {
            delivered.incrementAndGet();
            HttpResponse<String> scrape = get(ops.url() + "/metrics");
            assertEquals(200, scrape.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", scrape.headers().firstValue("Content-Type").orElse(""));
            String parsed = parse(scrape.body());
            assertTrue(parsed.contains("\"entrenar_test_delivered_total\": [{\"labels\": {}, \"type\": \"counter\", \"value\": 42.0}]"), parsed);
            assertTrue(parsed.contains("\"entrenar_test_lag\": [{\"labels\": {}, \"type\": \"gauge\", \"value\": \"nan\"}]"), parsed);
            assertTrue(parsed.contains("{\"labels\": {\"channel\": \"on\\\"call\\\\x\\ny\"}, \"type\": \"gauge\", \"value\": 3.0}"), parsed);

            assertTrue(parsed.contains("\"client_metrics_records_lag\": [{\"labels\": {\"client_id\": \"c1\"}, \"type\": \"gauge\", \"value\": 7.0}]"),
                    "dynamic names and labels are sanitized, non-finite samples left out: " + parsed);

            assertEquals(200, get(ops.url() + "/health/live").statusCode());
            HttpResponse<String> notReady = get(ops.url() + "/health/ready");
            assertEquals(503, notReady.statusCode());
            assertEquals("{\"status\":\"not ready\",\"failing\":{\"kafka\":\"no partitions assigned yet\"}}", notReady.body());
            brokerProblem.set(null);
            assertEquals(200, get(ops.url() + "/health/ready").statusCode());
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Debian's python3-prometheus-client parses it (interop/python/parse_prometheus.py). */
    private static String parse(String text) throws IOException, InterruptedException {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("interop/python/parse_prometheus.py");
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(Files.exists(script));
        return out;
    }
}
