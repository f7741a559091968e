package io.entrenar.processors;

import io.entrenar.ops.BodyLimit;
import io.entrenar.ops.BrowserGuard;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * HTTP/JSON reads of the processors' state for dashboards and other processes (interactive queries):
 * <ul>
 *   <li>{@code GET /runs/{run}/stats} — latest whole-run statistics per metric (spec 7.1 to_metrics_summary);</li>
 *   <li>{@code GET /runs/{run}/history?metric=loss&n=100} — the last n points (loss_history(n));</li>
 *   <li>{@code GET /failures/pareto} — failure counts, shares and cumulative shares per error code and category (spec 20.3);</li>
 * </ul>
 * A query for a run held by another instance is forwarded to it (its {@code application.server}).
 * Metrics and health are the ops endpoint's, as in every app ({@link ProcessorsApp#registerMetrics}).
 */
final class QueryServer implements AutoCloseable {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String FORWARDED = "X-Entrenar-Forwarded";

    private final HttpServer server;
    private final HostInfo self;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final java.util.concurrent.ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "entrenar-processors-http");
        t.setDaemon(true);
        return t;
    });
    private KafkaStreams streams;

    private QueryServer(HttpServer server, HostInfo self) {
        this.server = server;
        this.self = self;
    }

    /**
     * @param advertisedHost what other instances use to reach this one; empty = {@code host}, or this
     *                       machine's address when {@code host} is a wildcard (a container's own IP)
     */
    static QueryServer bind(String host, int port, String advertisedHost) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
            return new QueryServer(server, new HostInfo(advertised(host, advertisedHost), server.getAddress().getPort()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + " for the processors' query endpoint: " + e.getMessage(), e);
        }
    }

    static String advertised(String host, String advertisedHost) {
        if (!advertisedHost.isBlank()) {
            return advertisedHost;
        }
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            return host;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("http.host " + host + " listens everywhere and this machine's address is unknown ("
                    + e.getMessage() + "): set http.advertised.host", e);
        }
    }

    String advertised() {
        return self.host() + ":" + self.port();
    }

    String url() {
        return "http://" + advertised();
    }

    void serve(KafkaStreams streams) {
        this.streams = streams;
        HttpContext queries = server.createContext("/", this::handle);
        BrowserGuard.install(server, List.of(), List.of(), queries);
        BodyLimit.install(0, queries); // GET only
        server.setExecutor(executor);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, Map.of("error", "only GET is supported"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String[] parts = path.split("/");
            try {
                if (parts.length == 4 && parts[1].equals("runs") && (parts[3].equals("stats") || parts[3].equals("history"))) {
                    String runId = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
                    if (forwarded(exchange, MetricStatsProcessor.RUN_STORE, runId)) {
                        return;
                    }
                    if (parts[3].equals("stats")) {
                        reply(exchange, 200, stats(runId));
                    } else {
                        reply(exchange, 200, history(runId, query));
                    }
                } else if (path.equals("/failures/pareto")) {
                    if (forwarded(exchange, FailureParetoProcessor.STORE, ProcessorsTopology.FAILURE_PARETO_KEY)) {
                        return;
                    }
                    reply(exchange, 200, failurePareto());
                } else {
                    reply(exchange, 404, Map.of("error", "unknown path " + path,
                            "paths", List.of("/runs/{run}/stats", "/runs/{run}/history?metric=loss&n=100", "/failures/pareto")));
                }
            } catch (InvalidStateStoreException e) {
                reply(exchange, 503, Map.of("error", "state not queryable yet (" + streams.state() + "): " + e.getMessage()));
            } catch (IllegalArgumentException e) {
                reply(exchange, 400, Map.of("error", e.getMessage()));
            }
        }
    }

    private boolean forwarded(HttpExchange exchange, String store, String key) throws IOException {
        if (exchange.getRequestHeaders().containsKey(FORWARDED)) {
            return false;
        }
        KeyQueryMetadata md = streams.queryMetadataForKey(store, key, new StringSerializer());
        if (md == null || md.equals(KeyQueryMetadata.NOT_AVAILABLE) || md.activeHost().equals(self)) {
            return false;
        }
        HostInfo owner = md.activeHost();
        URI target = URI.create("http://" + owner.host() + ":" + owner.port() + exchange.getRequestURI());
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(target).header(FORWARDED, advertised())
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            send(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 503, Map.of("error", "interrupted while asking " + target));
        } catch (IOException e) {
            reply(exchange, 502, Map.of("error", "the instance holding this key (" + target + ") did not answer: " + e.getMessage()));
        }
        return true;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    private Map<String, Object> stats(String runId) {
        ReadOnlyKeyValueStore<String, Moments> store = store(MetricStatsProcessor.RUN_STORE);
        Map<String, Object> metrics = new LinkedHashMap<>();
        try (KeyValueIterator<String, Moments> it = store.prefixScan(StoreKeys.runPrefix(runId), new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, Moments> kv = it.next();
                Moments m = kv.value;
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("count", m.count);
                s.put("mean", finite(m.count == 0 ? Double.NaN : m.mean));
                s.put("std", finite(Math.sqrt(m.variance())));
                s.put("variance", finite(m.variance()));
                s.put("min", finite(m.count == 0 ? Double.NaN : m.min));
                s.put("max", finite(m.count == 0 ? Double.NaN : m.max));
                s.put("last", finite(m.last));
                s.put("last_step", m.lastStep);
                s.put("ewma", finite(m.ewma));
                s.put("trend_slope", finite(m.trendSlope()));
                s.put("non_finite_count", m.nonFinite);
                metrics.put(StoreKeys.split(kv.key)[1], s);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run_id", runId);
        out.put("metrics", metrics);
        return out;
    }

    private Map<String, Object> history(String runId, Map<String, String> query) {
        String metric = query.getOrDefault("metric", "loss");
        int n;
        try {
            n = Integer.parseInt(query.getOrDefault("n", "100"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("n must be a whole number, got '" + query.get("n") + "'");
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        ReadOnlyKeyValueStore<String, MetricHistory> store = store(MetricStatsProcessor.HISTORY_STORE);
        MetricHistory h = store.get(StoreKeys.of(runId, metric));
        List<Object> values = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        if (h != null) {
            for (double v : h.lastValues(n)) {
                values.add(finite(v));
            }
            for (long s : h.lastSteps(n)) {
                steps.add(s);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run_id", runId);
        out.put("metric", metric);
        out.put("steps", steps);
        out.put("values", values);
        return out;
    }

    private List<Map<String, Object>> failurePareto() {
        ReadOnlyKeyValueStore<String, Long> store = store(FailureParetoProcessor.STORE);
        List<KeyValue<String, Long>> rows = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = store.all()) {
            it.forEachRemaining(rows::add);
        }
        rows.sort((a, b) -> a.value.equals(b.value) ? a.key.compareTo(b.key) : Long.compare(b.value, a.value));
        long total = rows.stream().mapToLong(kv -> kv.value).sum();
        List<Map<String, Object>> out = new ArrayList<>();
        long cumulative = 0;
        for (KeyValue<String, Long> kv : rows) {
            String[] key = StoreKeys.split(kv.key);
            cumulative += kv.value;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("error_code", key[0]);
            row.put("category", key[1]);
            row.put("occurrences", kv.value);
            row.put("pct", kv.value * 100.0 / total);
            row.put("cumulative_pct", cumulative * 100.0 / total);
            out.add(row);
        }
        return out;
    }

    /** JSON has no NaN or infinity: those become their names as strings. */
    private static Object finite(double v) {
        return Double.isFinite(v) ? (Object) v : Double.toString(v);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        client.close();
    }
}
