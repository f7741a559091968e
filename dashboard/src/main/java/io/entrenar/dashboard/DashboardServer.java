package io.entrenar.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.entrenar.ops.Metrics;
import io.entrenar.ops.BodyLimit;
import io.entrenar.ops.BrowserGuard;
import io.entrenar.ops.OpsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP surface on one port: the page and its assets, the JSON API over
 * {@link History}, the server-sent event streams over {@link LiveFeed}, and {@code /metrics},
 * {@code /health/live}, {@code /health/ready}. Every request gets a virtual thread, so an open event
 * stream costs a few kilobytes, not a platform thread.
 */
final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    /** The only request with a body: {@code {"action": …, "reason": …}}. */
    private static final int CONTROL_BODY_BYTES = 4096;

    private final HttpServer server;
    private final ExecutorService executor;
    private final History history;
    private final LiveFeed live;
    private final RunCommands commands;
    private final StaticAssets assets = new StaticAssets();
    private final Metrics metrics;
    private final Map<String, OpsServer.Check> readiness;
    private final long flushMillis;
    private final int maxLivePoints;
    private final int maxLiveClients;
    private final java.util.concurrent.Semaphore liveSlots;
    private final int chartPoints;
    private final List<LiveClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    private DashboardServer(HttpServer server, ExecutorService executor, History history, LiveFeed live, RunCommands commands,
                            Metrics metrics, Map<String, OpsServer.Check> readiness, DashboardConfig config) {
        this.server = server;
        this.executor = executor;
        this.history = history;
        this.live = live;
        this.commands = commands;
        this.metrics = metrics;
        this.readiness = readiness;
        this.flushMillis = config.getInt(DashboardConfig.LIVE_FLUSH_MS_CONFIG);
        this.maxLivePoints = config.getInt(DashboardConfig.LIVE_MAX_POINTS_CONFIG);
        this.maxLiveClients = config.getInt(DashboardConfig.LIVE_MAX_CLIENTS_CONFIG);
        this.liveSlots = new java.util.concurrent.Semaphore(maxLiveClients);
        this.chartPoints = config.getInt(DashboardConfig.CHART_POINTS_CONFIG);
    }

    /** @param live null when {@code live.enabled=false} */
    static DashboardServer start(DashboardConfig config, History history, LiveFeed live, RunCommands commands, Metrics metrics,
                                 Map<String, OpsServer.Check> readiness) {
        String host = config.getString(DashboardConfig.HOST_CONFIG);
        int port = config.getInt(DashboardConfig.PORT_CONFIG);
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " for the dashboard (port "
                    + "taken? set " + DashboardConfig.PORT_CONFIG + ")", e);
        }
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("entrenar-dashboard-", 0).factory());
        http.setExecutor(executor);
        DashboardServer server = new DashboardServer(http, executor, history, live, commands, metrics, readiness, config);
        metrics.register("entrenar_dashboard_requests_total", Metrics.Type.COUNTER, "HTTP requests served.", server.requests::get);
        metrics.register("entrenar_dashboard_errors_total", Metrics.Type.COUNTER, "Requests answered with a 4xx/5xx status.",
                server.errors::get);
        metrics.register("entrenar_dashboard_live_clients", Metrics.Type.GAUGE, "Open server-sent event streams.",
                () -> server.clients.size());
        HttpContext pages = http.createContext("/", server::handle);
        BrowserGuard.install(http, List.of(), List.of(), pages);
        BodyLimit.install(CONTROL_BODY_BYTES, pages); // GET, and POST of a control command
        http.start();
        return server;
    }

    String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String path = uri.getPath();
            String method = exchange.getRequestMethod();
            boolean command = path.startsWith("/api/runs/") && path.endsWith("/control");
            if (command ? !method.equals("POST") : !method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", command ? "POST" : "GET, HEAD");
                send(exchange, 405, "application/json", error(command ? "only POST" : "only GET"));
                return;
            }
            Map<String, List<String>> query = query(uri.getRawQuery());
            try {
                if (command) {
                    control(exchange, path);
                } else {
                    route(exchange, path, query);
                }
            } catch (RunCommands.Unavailable e) {
                send(exchange, 503, "application/json", error(e.getMessage()));
            } catch (IllegalArgumentException e) {
                send(exchange, 400, "application/json", error(e.getMessage()));
            } catch (io.entrenar.sink.engine.ClickHouseException e) {
                LOG.warn("ClickHouse query for {} failed: {}", path, e.getMessage());
                send(exchange, 502, "application/json", error("ClickHouse: " + e.getMessage()));
            }
        } catch (IOException e) {
            // The browser went away mid-answer: nothing to do.
            LOG.debug("client went away: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.error("dashboard request {} failed", exchange.getRequestURI(), e);
        }
    }

    private void route(HttpExchange ex, String path, Map<String, List<String>> q) throws IOException {
        String[] parts = path.substring(1).split("/", -1);
        switch (parts[0]) {
            case "api" -> api(ex, parts, q);
            case "metrics" -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(StandardCharsets.UTF_8));
            case "health" -> health(ex, parts.length > 1 ? parts[1] : "");
            default -> {
                StaticAssets.Asset asset = assets.get(path.substring(1));
                if (asset == null) {
                    send(ex, 404, "application/json", error("no such page: " + path));
                } else {
                    ex.getResponseHeaders().set("Cache-Control", "no-cache");
                    send(ex, 200, asset.contentType(), asset.bytes());
                }
            }
        }
    }

    private void api(HttpExchange ex, String[] p, Map<String, List<String>> q) throws IOException {
        String what = p.length > 1 ? p[1] : "";
        String arg = p.length > 2 ? decode(p[2]) : "";
        String sub = p.length > 3 ? p[3] : "";
        byte[] body = switch (what) {
            case "runs" -> arg.isEmpty()
                    ? history.runs(param(q, "experiment"), param(q, "status"), param(q, "q"), intParam(q, "limit", Integer.MAX_VALUE))
                    : switch (sub) {
                        case "" -> history.run(arg);
                        case "metrics" -> history.metricNames(arg);
                        case "process" -> history.process(arg);
                        default -> throw new IllegalArgumentException("no API /api/runs/RUN/" + sub);
                    };
            case "experiments" -> history.experiments();
            case "history" -> {
                List<String> runs = q.getOrDefault("run", List.of());
                if (runs.isEmpty() || runs.size() > 50) {
                    throw new IllegalArgumentException("give 1 to 50 run= parameters");
                }
                yield history.history(runs, require(q, "metric"), intParam(q, "points", chartPoints));
            }
            case "sweeps" -> arg.isEmpty() ? history.sweeps() : switch (sub) {
                case "" -> history.sweep(arg);
                case "effects" -> history.sweepEffects(arg, require(q, "metric"));
                default -> throw new IllegalArgumentException("no API /api/sweeps/SWEEP/" + sub);
            };
            case "benchmarks" -> history.benchmarks();
            case "pareto" -> history.pareto(require(q, "benchmark"));
            case "failures" -> history.failures(param(q, "experiment"));
            case "alerts" -> history.alerts(param(q, "run"), intParam(q, "limit", 200));
            case "lineage" -> {
                if (arg.isEmpty()) {
                    throw new IllegalArgumentException("use /api/lineage/RUN");
                }
                yield history.lineage(arg);
            }
            case "live" -> {
                stream(ex, p.length > 2 && p[2].equals("runs") && p.length > 3 ? decode(p[3]) : null,
                        p.length > 2 && p[2].equals("alerts"));
                yield null;
            }
            default -> throw new IllegalArgumentException("no API " + String.join("/", p));
        };
        if (body != null) {
            send(ex, 200, "application/json; charset=utf-8", body);
        }
    }

    /**
     * {@code POST /api/runs/RUN/control}: JSON only, so that a page elsewhere cannot send it as a
     * simple cross-site form post (its preflight is refused, and {@link BrowserGuard} refuses
     * cross-site requests anyway).
     */
    private void control(HttpExchange ex, String path) throws IOException {
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            send(ex, 415, "application/json", error("send the command as application/json"));
            return;
        }
        String runId = decode(path.substring("/api/runs/".length(), path.length() - "/control".length()));
        if (runId.isEmpty() || runId.contains("/")) {
            throw new IllegalArgumentException("use POST /api/runs/RUN/control");
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        send(ex, 202, "application/json; charset=utf-8", commands.send(runId, body, "dashboard"));
    }

    /** {@code /api/live/runs/RUN} (points and alerts of a run) or {@code /api/live/alerts} (every alert). */
    private void stream(HttpExchange ex, String runId, boolean alerts) throws IOException {
        if (live == null) {
            send(ex, 404, "application/json", error("the live stream is off (live.enabled=false)"));
            return;
        }
        if (runId == null && !alerts) {
            throw new IllegalArgumentException("use /api/live/runs/RUN or /api/live/alerts");
        }
        if (!liveSlots.tryAcquire()) {
            ex.getResponseHeaders().set("Retry-After", "5");
            send(ex, 503, "application/json", error("too many live streams are open (" + DashboardConfig.LIVE_MAX_CLIENTS_CONFIG
                    + "=" + maxLiveClients + ")"));
            return;
        }
        LiveClient client = new LiveClient(flushMillis, maxLivePoints);
        // Subscribed before the headers go out: once the page sees the stream open, nothing is missed.
        clients.add(client);
        if (runId != null) {
            live.subscribeRun(runId, client);
        } else {
            live.subscribeAlerts(client);
        }
        try (OutputStream out = ex.getResponseBody()) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            client.stream(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            live.unsubscribe(client);
            clients.remove(client);
            liveSlots.release();
        }
    }

    private void health(HttpExchange ex, String which) throws IOException {
        switch (which) {
            case "live" -> send(ex, 200, "application/json", "{\"status\":\"live\"}".getBytes(StandardCharsets.UTF_8));
            case "ready" -> {
                Map<String, String> failing = new LinkedHashMap<>();
                readiness.forEach((name, check) -> {
                    String problem;
                    try {
                        problem = check.get();
                    } catch (RuntimeException e) {
                        problem = e.toString();
                    }
                    if (problem != null) {
                        failing.put(name, problem);
                    }
                });
                StringBuilder b = new StringBuilder(failing.isEmpty() ? "{\"status\":\"ready\"}" : "{\"status\":\"not ready\",\"failing\":{");
                if (!failing.isEmpty()) {
                    boolean first = true;
                    for (Map.Entry<String, String> e : failing.entrySet()) {
                        b.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
                        first = false;
                    }
                    b.append("}}");
                }
                send(ex, failing.isEmpty() ? 200 : 503, "application/json", b.toString().getBytes(StandardCharsets.UTF_8));
            }
            default -> send(ex, 404, "application/json", error("use /health/live or /health/ready"));
        }
    }

    private void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        if (status >= 400) {
            errors.incrementAndGet();
        }
        ex.getResponseHeaders().set("Content-Type", contentType);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] error(String message) {
        return ("{\"error\":" + Json.quote(message) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String param(Map<String, List<String>> q, String name) {
        List<String> v = q.get(name);
        return v == null || v.isEmpty() ? "" : v.getFirst();
    }

    private static String require(Map<String, List<String>> q, String name) {
        String v = param(q, name);
        if (v.isEmpty()) {
            throw new IllegalArgumentException("parameter " + name + " is required");
        }
        return v;
    }

    private static int intParam(Map<String, List<String>> q, String name, int def) {
        String v = param(q, name);
        if (v.isEmpty()) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + name + " is not a number: " + v);
        }
    }

    @Override
    public void close() {
        clients.forEach(LiveClient::close);
        server.stop(0);
        executor.shutdownNow();
    }
}
