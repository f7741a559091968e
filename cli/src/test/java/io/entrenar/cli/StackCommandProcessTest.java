package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code entrenar stack} as a user runs it: a separate JVM, stopped with Ctrl+C (SIGINT), restarted on its data. */
class StackCommandProcessTest {
    private static final Pattern REGISTRY = Pattern.compile("Schema registry\\s+: (http://\\S+)");
    private static final Pattern DASHBOARD = Pattern.compile("Web dashboard\\s+: (http://\\S+)");
    private static final Pattern MLFLOW = Pattern.compile("MLflow tracking API\\s+: (http://\\S+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void startsPrintsAddressesStopsOnCtrlCAndKeepsDataAcrossRestarts(@TempDir Path dataDir) throws Exception {
        String schema = "{\"schema\": \"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Probe\\\",\\\"fields\\\":[]}\"}";
        int id;
        try (Running first = Running.start(dataDir)) {
            assertTrue(first.output.stream().anyMatch(l -> l.matches("\\s+entrenar\\.metrics\\.v1\\s+created\\s+6 partitions")), first.output.toString());
            String dashboard = first.cli.find(DASHBOARD);
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(dashboard)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("vendor/uPlot.iife.min.js"), "the stack serves the web dashboard: " + page.body());
            String mlflow = first.cli.find(MLFLOW);
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(mlflow + "/api/2.0/mlflow/experiments/create"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"kept\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, created.statusCode(), "the stack serves MLflow's API: " + created.body());
            id = Integer.parseInt(post(first.registryUrl + "/subjects/probe-value/versions", schema).replaceAll("\\D", ""));
            // A client that sends its headers a byte at a time is dropped once the request read timeout (2 s here) passes.
            URI registry = URI.create(first.registryUrl);
            try (java.net.Socket slow = new java.net.Socket(registry.getHost(), registry.getPort())) {
                slow.setSoTimeout(15_000);
                long t0 = System.nanoTime();
                slow.getOutputStream().write("GET /subjects HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                byte[] answer = slow.getInputStream().readAllBytes(); // returns when the server closes the connection
                double waited = (System.nanoTime() - t0) / 1e9;
                assertTrue(waited < 10, "the server held a slow request for " + waited + " s: " + new String(answer));
            }
            List<String> tail = first.stop();
            assertEquals(List.of("Stopping the embedded stack ...", "Stopped."), tail.subList(tail.size() - 2, tail.size()));
            assertEquals(130, first.process.exitValue(), "exit status of a JVM stopped by SIGINT");
        }
        try (Running second = Running.start(dataDir)) {
            assertTrue(second.output.stream().anyMatch(l -> l.matches("\\s+entrenar\\.metrics\\.v1\\s+unchanged\\s+6 partitions")), second.output.toString());
            String lookup = post(second.registryUrl + "/subjects/probe-value", schema);
            assertTrue(lookup.contains("\"id\":" + id), "the schema keeps its id across restarts: " + lookup);
            HttpResponse<String> kept = HTTP.send(HttpRequest.newBuilder(URI.create(second.cli.find(MLFLOW)
                    + "/api/2.0/mlflow/experiments/get-by-name?experiment_name=kept")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, kept.statusCode(), "MLflow experiments live on their topic across restarts: " + kept.body());
            second.stop();
        }
    }

    private static String post(String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static final class Running implements AutoCloseable {
        final CliProcess cli;
        final List<String> output;
        final Process process;
        final String registryUrl;

        private Running(CliProcess cli) {
            this.cli = cli;
            this.output = cli.output;
            this.process = cli.process;
            this.registryUrl = cli.find(REGISTRY);
        }

        static Running start(Path dataDir) throws IOException {
            return new Running(CliProcess.start(Map.of("ENTRENAR_WEBHOOK_RECEIVER_PORT", "0", "ENTRENAR_OPS_PORT", "0",
                    "ENTRENAR_PROCESSORS_HTTP_PORT", "0", "ENTRENAR_SINK_HTTP_PORT", "0", "ENTRENAR_DASHBOARD_PORT", "0", "ENTRENAR_MLFLOW_PORT", "0",
                    "ENTRENAR_HTTP_REQUEST_READ_TIMEOUT_S", "2"), "Press Ctrl+C to stop.",
                    "stack", "--data-dir", dataDir.toString(), "--kafka-port", "0", "--registry-port", "0"));
        }

        List<String> stop() throws IOException, InterruptedException {
            return cli.stop("Stopped.");
        }

        @Override
        public void close() {
            cli.close();
        }
    }
}
