package io.entrenar.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.entrenar.events.LeaderboardEntry;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.sink.SinkApp;
import io.entrenar.sink.SinkConfig;
import io.entrenar.sink.engine.Engine;
import io.entrenar.stack.SharedStack;
import io.entrenar.tracking.Run;
import io.entrenar.tracking.Tracker;
import io.entrenar.tracking.TrackerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser against a running pipeline: a real broker and registry
 * (SharedStack), the real sink on chDB in this JVM with its ClickHouse HTTP endpoint, the dashboard
 * reading that endpoint through clickhouse-jdbc and the live topics, and runs logged with the
 * tracking API. Playwright drives Debian's Chromium headless; screenshots land in
 * {@code target/dashboard-screenshots/}.
 */
@ExtendWith(SharedStack.class)
class DashboardBrowserTest {
    private static final Path SHOTS = Path.of("target", "dashboard-screenshots");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static SinkApp sink;
    private static DashboardApp dashboard;
    private static Tracker tracker;

    @BeforeAll
    static void startPipeline() throws IOException {
        String missing = Browser.missing();
        Assumptions.assumeTrue(missing == null, () -> "browser tests skipped: " + missing);
        Files.createDirectories(SHOTS);
        var stack = SharedStack.stack();
        Map<String, Object> sinkConfig = new HashMap<>();
        sinkConfig.put(SinkConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        sinkConfig.put(SinkConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        sinkConfig.put(SinkConfig.CHDB_PATH_CONFIG, dir.resolve("chdb").toString());
        sinkConfig.put(SinkConfig.GROUP_ID_CONFIG, "dashboard-browser-test");
        sinkConfig.put(SinkConfig.BATCH_MAX_MS_CONFIG, 100L);
        sinkConfig.put(SinkConfig.HTTP_ENABLED_CONFIG, true);
        sinkConfig.put("http.port", 0);
        sinkConfig.put("ops.port", -1);
        sink = SinkApp.start(new SinkConfig(sinkConfig));
        dashboard = DashboardApp.start(new DashboardConfig(Map.of(
                DashboardConfig.PORT_CONFIG, 0,
                DashboardConfig.CLICKHOUSE_URL_CONFIG, sink.httpUrl().orElseThrow(),
                DashboardConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                DashboardConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl())));
        tracker = Tracker.start(Map.of(
                TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl(),
                TrackerConfig.SPOOL_DIR_CONFIG, dir.resolve("spool").toString()));
        await("dashboard ready", Duration.ofSeconds(60), () -> get("/health/ready").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {tracker, dashboard, sink}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("closing " + c + ": " + e);
                }
            }
        }
    }

    @Test
    void runsTableListsAFinishedRun() throws Exception {
        Run run = tracker.experiment("dash-table").run("finished-run").param("lr", 0.01).start();
        for (int step = 0; step < 50; step++) {
            run.logMetric("loss", 1.0 / (step + 1), step);
        }
        run.finish(Map.of("accuracy", 0.93));
        assertTrue(tracker.flush(Duration.ofSeconds(30)));

        try (Browser browser = Browser.run("runs-table", dashboard.url(), run.id(), shot("runs-table"))) {
            Browser.Line row = browser.next("row", 120);
            assertEquals(run.id(), row.get("run"));
            assertEquals("COMPLETED", row.get("status"));
        }
        // The same answer over the API the page uses, filtered by experiment and by text.
        String body = get("/api/runs?status=COMPLETED&q=finished-run").body();
        assertTrue(body.contains("\"run_id\":\"" + run.id() + "\""), body);
        assertTrue(get("/api/runs?status=FAILED&q=finished-run").body().contains("\"rows\":0"));
    }

    @Test
    void liveChartGainsPointsWhileTheRunTrains() throws Exception {
        Run run = tracker.experiment("dash-live").run("training").start();
        for (int step = 0; step < 20; step++) {
            run.logMetric("loss", 2.0 - step * 0.01, step);
        }
        assertTrue(tracker.flush(Duration.ofSeconds(30)));
        Engine ch = sink.engine();
        await("first points stored", Duration.ofSeconds(60), () -> ch.rows(
                "SELECT count() FROM entrenar.metric_points WHERE run_id = {r:String}", Map.of("r", run.id())).single().equals("20"));

        try (Browser browser = Browser.run("live-chart", dashboard.url(), run.id(), "loss", shot("live-chart"), "100")) {
            int before = Integer.parseInt(browser.next("opened", 120).get("points"));
            assertEquals(20, before, "the chart starts from the history in ClickHouse");
            for (int step = 20; step < 220; step++) {   // trains while the page is open
                run.logMetric("loss", 2.0 - step * 0.01, step);
                Thread.sleep(5);
            }
            Browser.Line gained = browser.next("gained", 120);
            assertTrue(Integer.parseInt(gained.get("after")) >= before + 100, gained.toString());
            assertTrue(Integer.parseInt(gained.get("draws")) > 0, "drawn from the live stream: " + gained);
        }
        run.finish();
    }

    @Test
    void paretoViewMarksTheFrontierRuns() throws Exception {
        String bench = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        // quality, cost: cheap-low and mid and top are on the frontier; the other two are dominated.
        Map<String, double[]> entries = Map.of(
                "p-cheap", new double[] {0.70, 0.5},
                "p-mid", new double[] {0.90, 1.0},
                "p-top", new double[] {0.95, 3.0},
                "p-worse", new double[] {0.80, 2.0},     // dominated by p-mid
                "p-pricey", new double[] {0.90, 4.0});   // dominated by p-mid and p-top
        produceLeaderboard(bench, entries);
        await("leaderboard stored", Duration.ofSeconds(60), () -> sink.engine().rows(
                "SELECT count() FROM entrenar.leaderboard FINAL WHERE benchmark = {b:String}", Map.of("b", bench)).single().equals("5"));

        try (Browser browser = Browser.run("pareto", dashboard.url(), bench, shot("pareto"))) {
            List<Browser.Line> points = browser.rest("point", 120);
            assertEquals(entries.keySet(), points.stream().map(p -> p.get("run")).collect(Collectors.toSet()));
            Set<String> marked = points.stream().filter(p -> p.get("frontier").equals("true")).map(p -> p.get("run"))
                    .collect(Collectors.toSet());
            assertEquals(Set.of("p-cheap", "p-mid", "p-top"), marked);
        }
    }

    @Test
    void healthMetricsAndBadRequests() throws Exception {
        assertEquals(200, get("/health/live").statusCode());
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("entrenar_dashboard_requests_total"), metrics.body());
        assertTrue(metrics.body().contains("entrenar_dashboard_live_points_total"), metrics.body());
        HttpResponse<String> bad = get("/api/history?metric=loss");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("run="), bad.body());
        assertEquals(404, get("/no/such/page.html").statusCode());
        HttpResponse<String> page = get("/");
        assertTrue(page.body().contains("uPlot.iife.min.js"), "the chart library is served from the jar");
        assertEquals(200, get("/vendor/uPlot.iife.min.js").statusCode());
    }

    private static void produceLeaderboard(String bench, Map<String, double[]> entries) {
        var stack = SharedStack.stack();
        Map<String, Object> cfg = Map.of("bootstrap.servers", stack.bootstrapServers(), "schema.registry.url", stack.registryUrl(),
                "acks", "all");
        AvroSerializer<LeaderboardEntry> serializer = new AvroSerializer<>();
        serializer.configure(cfg, false);
        try (KafkaProducer<String, LeaderboardEntry> producer = new KafkaProducer<>(cfg, new StringSerializer(), serializer)) {
            entries.forEach((run, qc) -> producer.send(new ProducerRecord<>(Topic.LEADERBOARD.topicName(), run,
                    LeaderboardEntry.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(run)
                            .setTsMicros(Instant.now()).setLamport(1).setBenchmark(bench).setDataset("digits")
                            .setTask("classification").setModel("model-" + run).setQualityMetric("accuracy")
                            .setQuality(qc[0]).setCostUsd(qc[1]).setRank(0).setParetoOptimal(false).setParetoOptimalNd(false)
                            .build())));
            producer.flush();
        }
    }

    private static String shot(String name) {
        return SHOTS.resolve(name + ".png").toAbsolutePath().toString();
    }

    static HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(dashboard.url() + path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
