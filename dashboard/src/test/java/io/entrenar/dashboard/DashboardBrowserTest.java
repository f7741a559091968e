package io.entrenar.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.entrenar.events.Alert;
import io.entrenar.events.AlertState;
import io.entrenar.events.FailureCategory;
import io.entrenar.events.LeaderboardEntry;
import io.entrenar.events.LineageRole;
import io.entrenar.events.Severity;
import io.entrenar.schemas.Topic;
import io.entrenar.sink.engine.Engine;
import io.entrenar.stack.SharedStack;
import io.entrenar.tracking.Experiment;
import io.entrenar.tracking.FailureContext;
import io.entrenar.tracking.ParamSpace;
import io.entrenar.tracking.Run;
import io.entrenar.tracking.Sweep;
import io.entrenar.tracking.Tracker;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard in a real browser against a running pipeline ({@link RunningDashboard}: real broker,
 * registry, sink on chDB, dashboard) with runs logged through the tracking API. Playwright drives Debian's
 * Chromium headless; screenshots land in {@code target/dashboard-screenshots/}.
 */
@ExtendWith({SharedStack.class, RunningDashboard.class})
class DashboardBrowserTest {
    private static final Path SHOTS = Path.of("target", "dashboard-screenshots");

    @BeforeAll
    static void browserPresent() throws IOException {
        String missing = Browser.missing();
        Assumptions.assumeTrue(missing == null, () -> "browser tests skipped: " + missing);
        Browser.requireDriver();
        Files.createDirectories(SHOTS);
    }

    @Test
    void runsTableListsAFinishedRun() throws Exception {
        Run run = RunningDashboard.tracker().experiment("dash-table").run("finished-run").param("lr", 0.01).start();
        for (int step = 0; step < 50; step++) {
            run.logMetric("loss", 1.0 / (step + 1), step);
        }
        run.finish(Map.of("accuracy", 0.93));
        assertTrue(RunningDashboard.tracker().flush(Duration.ofSeconds(30)));

        try (Browser browser = Browser.run("runs-table", RunningDashboard.dashboard().url(), run.id(), shot("runs-table"))) {
            Browser.Line row = browser.next("row", 120);
            assertEquals(run.id(), row.get("run"));
            assertEquals("COMPLETED", row.get("status"));
        }
        // The same answer over the API the page uses, filtered by experiment and by text.
        String body = RunningDashboard.get("/api/runs?status=COMPLETED&q=finished-run").body();
        assertTrue(body.contains("\"run_id\":\"" + run.id() + "\""), body);
        assertTrue(RunningDashboard.get("/api/runs?status=FAILED&q=finished-run").body().contains("\"rows\":0"));
    }

    @Test
    void theRunPageButtonsPauseResumeAndStopALiveRun() throws Exception {
        Run run = RunningDashboard.tracker().experiment("dash-buttons").run("clicked").start();
        // A loop that obeys, as a training job does: PAUSED/RUNNING come from the tracker, STOPPED from the loop.
        Thread loop = Thread.ofVirtual().start(() -> {
            while (!run.stopRequested()) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
            run.stop(run.stopReason());
        });
        assertTrue(RunningDashboard.tracker().flush(Duration.ofSeconds(30)));
        RunningDashboard.await("run stored", Duration.ofSeconds(60), () -> RunningDashboard.clickHouse().rows(
                "SELECT count() FROM entrenar.runs FINAL WHERE run_id = {r:String}", Map.of("r", run.id())).single().equals("1"));

        try (Browser browser = Browser.run("control", RunningDashboard.dashboard().url(), run.id(), shot("run-controls"))) {
            assertEquals("PAUSED", browser.next("status", 120).get("status"));
            assertTrue(run.paused());
            Browser.Line resumed = browser.next("status", 120);
            assertEquals("RUNNING", resumed.get("status"));
            assertEquals("pause,stop", resumed.get("buttons"));
            Browser.Line stopped = browser.next("status", 120);
            assertEquals("STOPPED", stopped.get("status"));
            assertEquals("-", stopped.get("buttons"), "an ended run offers no buttons");
        }
        loop.join(10_000);
        assertEquals("STOP from dashboard: stopped from the browser", run.stopReason());
    }

    @Test
    void liveChartGainsPointsWhileTheRunTrains() throws Exception {
        Run run = RunningDashboard.tracker().experiment("dash-live").run("training").start();
        for (int step = 0; step < 20; step++) {
            run.logMetric("loss", 2.0 - step * 0.01, step);
        }
        assertTrue(RunningDashboard.tracker().flush(Duration.ofSeconds(30)));
        Engine ch = RunningDashboard.clickHouse();
        RunningDashboard.await("first points stored", Duration.ofSeconds(60), () -> ch.rows(
                "SELECT count() FROM entrenar.metric_points WHERE run_id = {r:String}", Map.of("r", run.id())).single().equals("20"));

        try (Browser browser = Browser.run("live-chart", RunningDashboard.dashboard().url(), run.id(), "loss", shot("live-chart"), "100")) {
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
        Map<String, LeaderboardEntry> records = new java.util.HashMap<>();
        entries.forEach((run, qc) -> records.put(run, LeaderboardEntry.newBuilder().setEventId(UUID.randomUUID().toString())
                .setRunId(run).setTsMicros(Instant.now()).setLamport(1).setBenchmark(bench).setDataset("digits")
                .setTask("classification").setModel("model-" + run).setQualityMetric("accuracy").setQuality(qc[0])
                .setCostUsd(qc[1]).setRank(0).setParetoOptimal(false).setParetoOptimalNd(false).build()));
        RunningDashboard.produce(Topic.LEADERBOARD.topicName(), records);
        RunningDashboard.await("leaderboard stored", Duration.ofSeconds(60), () -> RunningDashboard.clickHouse().rows(
                "SELECT count() FROM entrenar.leaderboard FINAL WHERE benchmark = {b:String}", Map.of("b", bench)).single().equals("5"));

        try (Browser browser = Browser.run("pareto", RunningDashboard.dashboard().url(), bench, shot("pareto"))) {
            List<Browser.Line> points = browser.rest("point", 120);
            assertEquals(entries.keySet(), points.stream().map(p -> p.get("run")).collect(Collectors.toSet()));
            Set<String> marked = points.stream().filter(p -> p.get("frontier").equals("true")).map(p -> p.get("run"))
                    .collect(Collectors.toSet());
            assertEquals(Set.of("p-cheap", "p-mid", "p-top"), marked);
        }
    }

    @Test
    void everyPageRendersWhatClickHouseHolds() throws Exception {
        Tracker tracker = RunningDashboard.tracker();
        Experiment exp = tracker.experiment("dash-tour-" + UUID.randomUUID().toString().substring(0, 6));
        Sweep sweep = exp.sweep("grid", new ParamSpace().choice("lr", 0.1, 0.01, 0.001), new Sweep.Grid());
        List<String> trials = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Run trial = sweep.trial(i).start();
            for (int step = 0; step < 30; step++) {
                trial.logMetric("loss", (i + 1.0) / (step + 1), step);
            }
            if (i == 2) {
                trial.fail(FailureContext.of("E_DATA", FailureCategory.DATA, "bad rows", "clean the data"));
            } else {
                trial.finish(Map.of("accuracy", 0.8 + i / 10.0));
            }
            trials.add(trial.id());
        }
        Run child = exp.run("distilled").parent(trials.get(0), LineageRole.TEACHER).parent(trials.get(1), LineageRole.INITIALIZATION).start();
        child.finish();
        String incident = "inc-" + UUID.randomUUID();
        RunningDashboard.produce(Topic.ALERTS.topicName(), Map.of(child.id(), Alert.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setRunId(child.id()).setTsMicros(Instant.now()).setLamport(1)
                .setIncidentId(incident).setState(AlertState.FIRING).setRule("plateau").setSeverity(Severity.WARNING)
                .setMessage("loss flat for 200 steps").setFiredAtMicros(System.currentTimeMillis() * 1000).build()));
        assertTrue(tracker.flush(Duration.ofSeconds(30)));
        RunningDashboard.await("tour data stored", Duration.ofSeconds(60), () -> RunningDashboard.count(
                "SELECT count() FROM entrenar.runs WHERE experiment_id = {e:String} AND status IN ('COMPLETED', 'FAILED')",
                Map.of("e", exp.id())) == 4
                && RunningDashboard.count("SELECT count() FROM entrenar.alerts WHERE incident_id = {i:String}", Map.of("i", incident)) == 1
                && RunningDashboard.count("SELECT count() FROM entrenar.lineage_edges WHERE child_run_id = {c:String}",
                        Map.of("c", child.id())) == 2);

        String overlay = "overlay?runs=" + trials.get(0) + "," + trials.get(1) + "&metric=loss";
        try (Browser browser = Browser.run("tour", RunningDashboard.dashboard().url(), SHOTS.toAbsolutePath().toString(),
                "runs?experiment=" + exp.id(), "run/" + trials.get(0), overlay, "sweeps", "sweep/" + sweep.id(),
                "failures?experiment=" + exp.id(), "alerts", "lineage/" + child.id())) {
            Map<String, Browser.Line> pages = new java.util.HashMap<>();
            for (Browser.Line line : browser.rest("page", 180)) {
                pages.put(java.net.URLDecoder.decode(line.get("route"), java.nio.charset.StandardCharsets.UTF_8).split("[/?]")[0], line);
                assertEquals("none", line.get("errors"), "page shows an error: " + line);
            }
            assertEquals(4, Integer.parseInt(pages.get("runs").get("rows")), "the experiment's 4 runs: " + pages.get("runs"));
            assertEquals(1, Integer.parseInt(pages.get("run").get("charts")), "the trial's loss chart: " + pages.get("run"));
            assertEquals(1, Integer.parseInt(pages.get("overlay").get("charts")), pages.get("overlay").toString());
            assertTrue(Integer.parseInt(pages.get("sweeps").get("rows")) >= 1, pages.get("sweeps").toString());
            assertEquals(3, Integer.parseInt(pages.get("sweep").get("rows")), "3 trials ranked: " + pages.get("sweep"));
            assertEquals(2, Integer.parseInt(pages.get("sweep").get("effects")),
                    "lr's two values among the completed trials, with their mean accuracy: " + pages.get("sweep"));
            assertEquals(1, Integer.parseInt(pages.get("sweep").get("charts")), "top trials overlaid: " + pages.get("sweep"));
            assertEquals(1, Integer.parseInt(pages.get("failures").get("bars")), "E_DATA: " + pages.get("failures"));
            assertTrue(Integer.parseInt(pages.get("alerts").get("rows")) >= 1, pages.get("alerts").toString());
            assertEquals(3, Integer.parseInt(pages.get("lineage").get("nodes")), "child and its two parents: " + pages.get("lineage"));
            assertEquals(2, Integer.parseInt(pages.get("lineage").get("edges")), pages.get("lineage").toString());
        }
    }

    private static String shot(String name) {
        return SHOTS.resolve(name + ".png").toAbsolutePath().toString();
    }
}
