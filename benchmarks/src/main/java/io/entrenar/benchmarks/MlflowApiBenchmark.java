package io.entrenar.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrenar.cli.pipeline.Pipeline;
import io.entrenar.cli.pipeline.PipelineConfig;

/**
 * The MLflow API's budgets on this machine, against the stack's sink on chDB (processors and
 * alerting off so that the API and the sink have the cores):
 * <ol>
 * <li>sequential {@code runs/log-metric} calls over one keep-alive connection (calls/s, p50/p99),
 *     against {@code GET /health} on the same server and connection (the HTTP floor);</li>
 * <li>{@code runs/log-batch} of 1,000 metrics per call, durable before each answer (points/s with 1
 *     and 4 clients);</li>
 * <li>{@code metrics/get-history} of a 100,000-point metric (p50/p99 ms), against the same SQL sent
 *     straight to the ClickHouse endpoint.</li>
 * </ol>
 * <pre>scripts/run-benchmark MlflowApiBenchmark [calls=20000] [batches=400]</pre>
 */
public final class MlflowApiBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private MlflowApiBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        Path dir = Files.createTempDirectory("entrenar-bench-mlflow");
        try (Pipeline pipeline = Pipeline.start(new PipelineConfig(Map.of("data.dir", dir.toString(), "kafka.port", 0,
                "registry.port", 0, "ops.port", -1, "topics.partitions", 2, "processors.enabled", false,
                "alerting.enabled", false, "dashboard.enabled", false, "sink.http.port", 0, "mlflow.port", 0)))) {
            String api = pipeline.mlflowUrl();
            String exp = post(api, "experiments/create", "{\"name\":\"bench\"}").path("experiment_id").asText();
            String run = post(api, "runs/create", "{\"experiment_id\":\"" + exp + "\",\"run_name\":\"bench\"}")
                    .path("run").path("info").path("run_id").asText();

            // 1. sequential log-metric over keep-alive, against GET /health
            double[] seq;
            try (RawConnection c = new RawConnection(URI.create(api))) {
                measure("GET /health (HTTP floor, raw client)", calls / 2, i -> c.call("GET", "/health", null));
                measure("POST runs/log-metric (warm-up)", calls / 4, i -> c.call("POST", "/api/2.0/mlflow/runs/log-metric",
                        logMetricBody(run, "warmup", i)));
                seq = measure("POST runs/log-metric (raw client)", calls, i -> c.call("POST", "/api/2.0/mlflow/runs/log-metric",
                        logMetricBody(run, "loss", i)));
            }
            double[] jdk = measure("POST runs/log-metric (JDK HttpClient)", calls / 4, i -> logMetric(api, run, "jdk", i));
            System.out.printf(Locale.ROOT, "log-metric: %.0f sequential calls/s over one keep-alive connection (%.0f with the "
                    + "JDK's HttpClient; budget >= 5,000)%n", seq[0], jdk[0]);

            // 2. log-batch of 1,000 metrics
            for (int clients : new int[] {1, 4}) {
                String batchRun = post(api, "runs/create", "{\"experiment_id\":\"" + exp + "\",\"run_name\":\"batch-" + clients + "\"}")
                        .path("run").path("info").path("run_id").asText();
                // the request bodies are made before the clock starts: the figure is the server's
                List<byte[]> bodies = new ArrayList<>();
                for (int b = 0; b < batches; b++) {
                    bodies.add(batch(batchRun, "m" + (b % clients), b).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                long t0 = System.nanoTime();
                try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
                    List<Future<?>> done = new ArrayList<>();
                    for (int c = 0; c < clients; c++) {
                        int client = c;
                        done.add(pool.submit(() -> {
                            try (RawConnection connection = new RawConnection(URI.create(api))) {
                                for (int b = client; b < batches; b += clients) {
                                    connection.call("POST", "/api/2.0/mlflow/runs/log-batch", bodies.get(b));
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get();
                    }
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "log-batch, %d client(s): %d calls of 1,000 metrics in %.2f s = %.0f points/s, "
                        + "each durable before its answer (budget >= 1M)%n", clients, batches, secs, batches * 1000.0 / secs);
            }

            // 3. get-history of a 100k-point metric
            String histRun = post(api, "runs/create", "{\"experiment_id\":\"" + exp + "\",\"run_name\":\"history\"}")
                    .path("run").path("info").path("run_id").asText();
            for (int b = 0; b < 100; b++) {
                send(HttpRequest.newBuilder(URI.create(api + "/api/2.0/mlflow/runs/log-batch")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(batch(histRun, "h", b))));
            }
            // reads are measured on a settled store, as a store that has run for a while is: every point landed and
            // the sink's parts merged, not while it is still inserting and merging the 1.2M points above
            long settle = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < settle && !(pipeline.clickHouse().rows("SELECT count() FROM entrenar.metric_points WHERE run_id = {r:String}",
                    Map.of("r", histRun)).single().equals("100000")
                    && pipeline.clickHouse().rows("SELECT count() FROM system.merges").single().equals("0"))) {
                Thread.sleep(200);
            }
            String history = api + "/api/2.0/mlflow/metrics/get-history?run_id=" + histRun + "&metric_key=h";
            JsonNode first = JSON.readTree(send(HttpRequest.newBuilder(URI.create(history)).GET()));
            System.out.printf(Locale.ROOT, "get-history returns %d points%n", first.path("metrics").size());
            String sql = "SELECT toString(value), toUnixTimestamp64Milli(ts), step FROM entrenar.metric_points FINAL WHERE run_id = '"
                    + histRun + "' AND name = 'h' ORDER BY step, ts, event_id, idx FORMAT JSONEachRow";
            String ch = pipeline.clickHouseUrl() + "/?query=" + java.net.URLEncoder.encode(sql, java.nio.charset.StandardCharsets.UTF_8);
            measure("ClickHouse endpoint, the same SQL (floor)", 20, i -> send(HttpRequest.newBuilder(URI.create(ch)).GET()));
            double[] h = measure("GET metrics/get-history, 100k points", 20, i -> send(HttpRequest.newBuilder(URI.create(history)).GET()));
            System.out.printf(Locale.ROOT, "get-history of 100k points: p50 %.1f ms (budget <= 100 ms)%n", h[1]);
        }
    }

    /**
     * One keep-alive HTTP/1.1 connection written and read by hand: what a lean client (Python's
     * http.client, curl) costs, so that the figure is the server's and not the JDK HttpClient's
     * (whose async hand-offs cost more per call than the server's whole answer).
     */
    private static final class RawConnection implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.OutputStream out;
        private final java.io.InputStream in;
        private final String host;

        RawConnection(URI base) throws java.io.IOException {
            socket = new java.net.Socket(base.getHost(), base.getPort());
            socket.setTcpNoDelay(true);
            out = new java.io.BufferedOutputStream(socket.getOutputStream());
            in = new java.io.BufferedInputStream(socket.getInputStream());
            host = base.getHost() + ":" + base.getPort();
        }

        /** Sends one request and reads the whole answer; fails unless it is 200. */
        void call(String method, String path, byte[] body) throws java.io.IOException {
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                    + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n") + "\r\n";
            out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            String status = line();
            long length = -1;
            for (String h = line(); !h.isEmpty(); h = line()) {
                if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Long.parseLong(h.substring(15).strip());
                }
            }
            if (length < 0) {
                throw new IllegalStateException("no Content-Length in the answer to " + path);
            }
            byte[] answer = in.readNBytes((int) length);
            if (!status.contains(" 200 ")) {
                throw new IllegalStateException(status + ": " + new String(answer, java.nio.charset.StandardCharsets.UTF_8));
            }
        }

        private String line() throws java.io.IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new java.io.EOFException("the server closed the connection");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    private interface Call {
        void run(int i) throws Exception;
    }

    /** Runs {@code n} calls one after another; prints and returns {calls/s, p50 ms, p99 ms}. */
    private static double[] measure(String what, int n, Call call) throws Exception {
        long[] nanos = new long[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            call.run(i);
            nanos[i] = System.nanoTime() - s;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(nanos);
        double p50 = nanos[n / 2] / 1e6;
        double p99 = nanos[Math.min(n - 1, (int) (n * 0.99))] / 1e6;
        System.out.printf(Locale.ROOT, "%-45s %7d calls  %9.0f calls/s  p50 %7.3f ms  p99 %7.3f ms%n", what, n, n / secs, p50, p99);
        return new double[] {n / secs, p50, p99};
    }

    private static void logMetric(String api, String run, String key, int i) {
        send(HttpRequest.newBuilder(URI.create(api + "/api/2.0/mlflow/runs/log-metric")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(logMetricBody(run, key, i))));
    }

    private static byte[] logMetricBody(String run, String key, int i) {
        return ("{\"run_id\":\"" + run + "\",\"key\":\"" + key + "\",\"value\":" + (1.0 / (i + 1))
                + ",\"timestamp\":" + System.currentTimeMillis() + ",\"step\":" + i + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String batch(String run, String key, int b) {
        StringBuilder s = new StringBuilder(64_000).append("{\"run_id\":\"").append(run).append("\",\"metrics\":[");
        long ts = System.currentTimeMillis();
        for (int i = 0; i < 1000; i++) {
            long step = b * 1000L + i;
            s.append(i > 0 ? "," : "").append("{\"key\":\"").append(key).append("\",\"value\":").append(1.0 / (step + 1))
                    .append(",\"timestamp\":").append(ts).append(",\"step\":").append(step).append('}');
        }
        return s.append("]}").toString();
    }

    private static JsonNode post(String api, String endpoint, String body) throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(URI.create(api + "/api/2.0/mlflow/" + endpoint))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))));
    }

    private static String send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
