package io.entrenar.dashboard;

import static io.entrenar.dashboard.RunningDashboard.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.entrenar.events.Alert;
import io.entrenar.events.AlertState;
import io.entrenar.events.FailureCategory;
import io.entrenar.events.LineageRole;
import io.entrenar.events.Severity;
import io.entrenar.schemas.Topic;
import io.entrenar.stack.SharedStack;
import io.entrenar.tracking.Experiment;
import io.entrenar.tracking.FailureContext;
import io.entrenar.tracking.ParamSpace;
import io.entrenar.tracking.Run;
import io.entrenar.tracking.Sweep;
import io.entrenar.tracking.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JSON API and the ops endpoints the pages use, against the running pipeline. */
@ExtendWith({SharedStack.class, RunningDashboard.class})
class DashboardApiTest {

    @Test
    void runPageCommandsAreSignedAndObeyedAndForeignOrMalformedOnesChangeNothing() throws Exception {
        Run run = RunningDashboard.tracker().experiment("dash-control").run("commanded").start();
        RunningDashboard.await("control listener reading", Duration.ofSeconds(30), () -> RunningDashboard.tracker().controlReady());
        String path = "/api/runs/" + run.id() + "/control";

        // What must not work: a form post, a page elsewhere, a GET, an unknown action, a huge body.
        assertEquals(415, RunningDashboard.post(path, "text/plain", "{\"action\":\"stop\"}").statusCode());
        assertEquals(415, RunningDashboard.post(path, "application/x-www-form-urlencoded", "action=stop").statusCode());
        assertEquals(403, RunningDashboard.post(path, "application/json", "{\"action\":\"stop\"}",
                "Origin", "http://evil.example").statusCode());
        assertEquals(403, RunningDashboard.post(path, "application/json", "{\"action\":\"stop\"}",
                "Sec-Fetch-Site", "cross-site").statusCode());
        assertEquals(405, get(path).statusCode());
        HttpResponse<String> unknown = RunningDashboard.post(path, "application/json", "{\"action\":\"explode\"}");
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("one of stop, pause, resume, approve, reject"), unknown.body());
        assertEquals(400, RunningDashboard.post(path, "application/json", "not json").statusCode());
        assertEquals(413, RunningDashboard.post(path, "application/json", "{\"action\":\"stop\",\"reason\":\"" + "x".repeat(10_000) + "\"}")
                .statusCode());
        Thread.sleep(1_000);
        assertFalse(run.stopRequested(), "nothing refused above reached the run");
        assertEquals(0, RunningDashboard.tracker().controlRefused(), "and nothing unsigned was even sent");

        HttpResponse<String> paused = RunningDashboard.post(path, "application/json", "{\"action\":\"pause\",\"reason\":\"look at the loss\"}");
        assertEquals(202, paused.statusCode(), paused.body());
        assertTrue(paused.body().contains("\"action\":\"PAUSE\""), paused.body());
        RunningDashboard.await("paused", Duration.ofSeconds(30), run::paused);
        assertEquals(202, RunningDashboard.post(path, "application/json", "{\"action\":\"resume\"}").statusCode());
        RunningDashboard.await("resumed", Duration.ofSeconds(30), () -> !run.paused());
        assertEquals(202, RunningDashboard.post(path, "application/json; charset=utf-8",
                "{\"action\":\"STOP\",\"reason\":\"enough\"}").statusCode());
        RunningDashboard.await("stop requested", Duration.ofSeconds(30), run::stopRequested);
        assertEquals("STOP from dashboard: enough", run.stopReason());
        run.stop(run.stopReason());
    }

    @Test
    void aJobIsOneRunAndItsPageGetsTheProcessDataOfItsJvmRecord() {
        Tracker tracker = RunningDashboard.tracker();
        String experiment = "dash-job-" + UUID.randomUUID().toString().substring(0, 6);
        Run jvm = tracker.experiment(experiment).run("TrainMain").tag("entrenar.agent", "premain").start();
        Run training = tracker.experiment(experiment).run("mlp").tag("entrenar.jvm_run_id", jvm.id()).start();
        for (int i = 0; i < 3; i++) {
            jvm.emit(io.entrenar.events.ResourceSample.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(jvm.id())
                    .setTsMicros(Instant.now()).setLamport(1).setProcessCpuLoad(0.5).setMachineCpuLoad(0.5)
                    .setHeapUsedBytes((64L + i) << 20).setHeapCommittedBytes(128L << 20).setHeapMaxBytes(1L << 30)
                    .setThreadCount(20).setGcCount(i).setGcPauseMicros(i * 1000L).build());
        }
        training.logMetric("loss", 0.5, 1);
        training.finish();
        assertTrue(tracker.flush(Duration.ofSeconds(30)));
        RunningDashboard.await("process samples stored", Duration.ofSeconds(60), () -> RunningDashboard.count(
                "SELECT count() FROM entrenar.resources WHERE run_id = {r:String}", Map.of("r", jvm.id())) == 3
                && RunningDashboard.count("SELECT count() FROM entrenar.runs WHERE run_id = {r:String} AND status = 'COMPLETED'",
                Map.of("r", training.id())) == 1);

        String runs = get("/api/runs?experiment=" + experiment).body();
        assertTrue(runs.contains("\"rows\":1") && runs.contains(training.id()) && !runs.contains(jvm.id()),
                "one job, one run: " + runs);
        String process = get("/api/runs/" + training.id() + "/process").body();
        assertTrue(process.contains("\"process_run_id\":\"" + jvm.id() + "\""), process);
        assertTrue(process.contains("\"heap_used_mb\":66"), "the peak heap of the JVM while the run trained: " + process);
        jvm.finish();
    }

    @Test
    void healthMetricsAssetsAndBadRequests() {
        assertEquals(200, get("/health/live").statusCode());
        assertEquals(200, get("/health/ready").statusCode());
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("\nentrenar_dashboard_requests_total "), metrics.body());
        assertTrue(metrics.body().contains("\nentrenar_dashboard_live_points_total "), metrics.body());
        HttpResponse<String> bad = get("/api/history?metric=loss");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("run="), bad.body());
        assertEquals(400, get("/api/runs?limit=ten").statusCode());
        assertEquals(404, get("/no/such/page.html").statusCode());
        assertTrue(get("/").body().contains("vendor/uPlot.iife.min.js"));
        HttpResponse<String> lib = get("/vendor/uPlot.iife.min.js");
        assertEquals(200, lib.statusCode());
        assertTrue(lib.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    }

    @Test
    void historyIsDownsampledInClickHouse() throws Exception {
        Run run = RunningDashboard.tracker().experiment("dash-api").run("long").start();
        for (int step = 0; step < 5000; step++) {
            run.logMetric("loss", 1.0 / (step + 1), step);
        }
        run.finish();
        assertTrue(RunningDashboard.tracker().flush(Duration.ofSeconds(30)));
        RunningDashboard.await("5000 points stored", Duration.ofSeconds(60), () -> RunningDashboard.count(
                "SELECT count() FROM entrenar.metric_points WHERE run_id = {r:String}", Map.of("r", run.id())) == 5000);
        String body = get("/api/history?run=" + run.id() + "&metric=loss&points=100").body();
        int buckets = body.split("\"bucket_start\"").length - 1;
        assertTrue(buckets > 0 && buckets <= 100, "at most 100 buckets, got " + buckets + ": " + body);
        assertTrue(body.contains("\"samples\":50"), "each bucket summarises 50 points: " + body);
        assertTrue(body.contains("\"names\":{\"data\":[{\"run_id\":\"" + run.id() + "\",\"run_name\":\"long\"}]"), body);
        String names = get("/api/runs/" + run.id() + "/metrics").body();
        assertTrue(names.contains("{\"name\":\"loss\",\"points\":5000,\"last_step\":4999}"), names);
    }

    @Test
    void sweepsFailuresAndLineage() {
        Tracker tracker = RunningDashboard.tracker();
        Experiment exp = tracker.experiment("dash-sweep-" + UUID.randomUUID().toString().substring(0, 6));
        Sweep sweep = exp.sweep("lr-grid", new ParamSpace().choice("lr", 0.1, 0.01, 0.001), new Sweep.Grid());
        String teacher = null;
        for (int i = 0; i < sweep.trials().size(); i++) {
            Run trial = sweep.trial(i).start();
            trial.logMetric("loss", 1.0 / (i + 1), 0);
            if (i == 2) {
                trial.fail(FailureContext.of("E_OOM", FailureCategory.RESOURCE, "heap exhausted", "halve the batch"));
            } else {
                trial.finish(Map.of("accuracy", 0.8 + i / 100.0));
            }
            teacher = teacher == null ? trial.id() : teacher;
        }
        Run student = exp.run("student").parent(teacher, LineageRole.TEACHER).start();
        student.finish();
        Run grandchild = exp.run("grandchild").parent(student.id(), LineageRole.FINE_TUNED_FROM).start();
        grandchild.finish();
        assertTrue(tracker.flush(Duration.ofSeconds(30)));
        RunningDashboard.await("sweep stored", Duration.ofSeconds(60), () -> RunningDashboard.count(
                "SELECT count() FROM entrenar.runs WHERE sweep_id = {s:String} AND status IN ('COMPLETED', 'FAILED')",
                Map.of("s", sweep.id())) == 3 && RunningDashboard.count(
                "SELECT count() FROM entrenar.lineage_edges WHERE child_run_id = {c:String}", Map.of("c", grandchild.id())) == 1);

        String sweeps = get("/api/sweeps").body();
        assertTrue(sweeps.contains("\"sweep_id\":\"" + sweep.id() + "\""), sweeps);
        assertTrue(sweeps.matches(".*\"sweep_id\":\"" + sweep.id() + "\",[^}]*\"runs\":3,\"completed\":2,\"failed\":1.*"), sweeps);
        String trials = get("/api/sweeps/" + sweep.id()).body();
        assertEquals(3, trials.split("\"run_id\"").length - 1, trials);
        assertTrue(trials.contains("\"lr\":\"0.001\""), trials);
        // Which parameters mattered: lr varies over the two completed trials (0.80 at 0.1, 0.81 at 0.01).
        String effects = get("/api/sweeps/" + sweep.id() + "/effects?metric=accuracy").body();
        assertTrue(effects.contains("\"rows\":2"), effects);
        assertTrue(effects.matches(".*\"param\":\"lr\",\"value\":\"0.01\",\"trials\":1,\"mean\":0.81.*"), effects);
        assertEquals(400, get("/api/sweeps/" + sweep.id() + "/effects").statusCode(), "the metric is required");

        String failures = get("/api/failures?experiment=" + exp.id()).body();
        assertTrue(failures.contains("\"error_code\":\"E_OOM\",\"category\":\"RESOURCE\",\"occurrences\":1"), failures);

        String lineage = get("/api/lineage/" + student.id()).body();
        assertTrue(lineage.contains("\"" + teacher + "\":-1"), "teacher one level up: " + lineage);
        assertTrue(lineage.contains("\"" + grandchild.id() + "\":1"), "grandchild one level down: " + lineage);
        assertTrue(lineage.contains("{\"child_run_id\":\"" + student.id() + "\",\"parent_run_id\":\"" + teacher + "\",\"role\":\"TEACHER\"}"),
                lineage);
        assertTrue(lineage.contains("\"role\":\"FINE_TUNED_FROM\""), lineage);
    }

    @Test
    void liveStreamsAreBoundedAndASlotFreesWhenAPageCloses() throws Exception {
        try (DashboardApp small = DashboardApp.start(new DashboardConfig(Map.of(DashboardConfig.PORT_CONFIG, 0,
                DashboardConfig.CLICKHOUSE_URL_CONFIG, RunningDashboard.clickHouseUrl(),
                DashboardConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.stack().bootstrapServers(),
                DashboardConfig.SCHEMA_REGISTRY_URL_CONFIG, SharedStack.stack().registryUrl(),
                DashboardConfig.LIVE_MAX_CLIENTS_CONFIG, 1)))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest live = HttpRequest.newBuilder(URI.create(small.url() + "/api/live/alerts")).build();
            HttpResponse<InputStream> first = http.send(live, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, first.statusCode());
            HttpResponse<String> second = http.send(live, HttpResponse.BodyHandlers.ofString());
            assertEquals(503, second.statusCode(), second.body());
            assertEquals("5", second.headers().firstValue("Retry-After").orElse(""));
            assertTrue(second.body().contains("live.max.clients=1"), second.body());
            first.body().close();
            RunningDashboard.await("the slot freed", Duration.ofSeconds(30), () -> {
                try {
                    HttpResponse<InputStream> again = http.send(live, HttpResponse.BodyHandlers.ofInputStream());
                    again.body().close();
                    return again.statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    void anInconsistentBatchIsSkippedAndTheLiveStreamGoesOn() throws Exception {
        String runId = "live-bad-" + UUID.randomUUID();
        HttpRequest request = HttpRequest.newBuilder(URI.create(RunningDashboard.dashboard().url() + "/api/live/runs/" + runId)).build();
        HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> event = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.startsWith("data: ") && line.contains("\"steps\":[7]")) {
                            return line;
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(500); // the page's subscription is in place once its headers arrived; the feed reads on
            // point 0 names name id 5 of a one-name batch: valid Avro, unusable columns (it killed the feed before)
            RunningDashboard.produce(Topic.METRICS.topicName(), Map.of(runId, batch(runId, List.of(5), 3)));
            RunningDashboard.produce(Topic.METRICS.topicName(), Map.of(runId, batch(runId, List.of(0), 7)));
            String data = event.get(60, TimeUnit.SECONDS);
            assertTrue(data != null && data.contains("\"loss\""), "the next good batch still streams: " + data);
        }
        String metrics = get("/metrics").body();
        long bad = metrics.lines().filter(l -> l.startsWith("entrenar_dashboard_live_bad_records_total "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
        assertTrue(bad >= 1, metrics);
    }

    private static io.entrenar.events.MetricBatch batch(String runId, List<Integer> nameIds, long step) {
        return io.entrenar.events.MetricBatch.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId)
                .setTsMicros(Instant.now()).setLamport(1).setProducerId("test").setSequence(step).setNames(List.of("loss"))
                .setNameIds(nameIds).setSteps(List.of(step)).setValues(List.of(0.5))
                .setTimestampsMicros(List.of(System.currentTimeMillis() * 1000)).build();
    }

    @Test
    void alertsArriveLiveAndStayInTheFeed() throws Exception {
        String runId = "alert-run-" + UUID.randomUUID();
        String incident = "inc-" + UUID.randomUUID();
        HttpRequest request = HttpRequest.newBuilder(URI.create(RunningDashboard.dashboard().url() + "/api/live/alerts")).build();
        HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("text/event-stream; charset=utf-8", stream.headers().firstValue("Content-Type").orElse(""));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> event = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.startsWith("data: ") && line.contains(incident)) {
                            return line;
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            RunningDashboard.produce(Topic.ALERTS.topicName(), Map.of(runId, Alert.newBuilder()
                    .setEventId(UUID.randomUUID().toString()).setRunId(runId).setTsMicros(Instant.now()).setLamport(1)
                    .setIncidentId(incident).setState(AlertState.FIRING).setRule("non_finite").setSeverity(Severity.CRITICAL)
                    .setMetric("loss").setStep(42L).setMessage("loss is NaN").setFiredAtMicros(System.currentTimeMillis() * 1000).build()));
            String data = event.get(60, TimeUnit.SECONDS);
            assertTrue(data.contains("\"state\":\"FIRING\"") && data.contains("\"step\":42") && data.contains("\"message\":\"loss is NaN\""), data);
        }
        RunningDashboard.await("alert stored", Duration.ofSeconds(60), () -> get("/api/alerts?run=" + runId).body().contains(incident));
        String feed = get("/api/alerts?run=" + runId).body();
        assertTrue(feed.contains("\"state\":\"FIRING\",\"rule\":\"non_finite\",\"severity\":\"CRITICAL\""), feed);
    }
}
