package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrenar.events.FailureCategory;
import io.entrenar.events.RunStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The read commands and the live dashboard against a real stack: {@code entrenar stack} in its own
 * JVM (broker, registry, processors, sink on chDB, ClickHouse HTTP endpoint), events sent to its
 * broker as an agent sends them, the commands run as a user runs them, over HTTP.
 */
class ViewCommandsTest {
    private static final Duration LANDING = Duration.ofSeconds(60);
    private static final String EXPERIMENT = "views-it";
    private static final String BENCHMARK = "digits-cost";

    @TempDir
    static Path dir;

    private static CliProcess stack;
    private static TrainingEvents events;
    private static String clickHouseUrl;
    private static String processorsUrl;
    private static String bootstrapServers;
    private static String registryUrl;
    private static final String TEACHER = "teacher-" + UUID.randomUUID();
    private static final String STUDENT = "student-" + UUID.randomUUID();
    private static final String DOMINATED = "dominated-" + UUID.randomUUID();
    private static final List<String> FAILED = new ArrayList<>();

    @BeforeAll
    static void startStackAndLogRuns() throws Exception {
        stack = CliProcess.start(Map.of("ENTRENAR_WEBHOOK_RECEIVER_PORT", "0", "ENTRENAR_OPS_PORT", "0",
                        "ENTRENAR_PROCESSORS_HTTP_PORT", "0", "ENTRENAR_SINK_HTTP_PORT", "0"), "Press Ctrl+C to stop.",
                "stack", "--data-dir", dir.resolve("stack").toString(), "--kafka-port", "0", "--registry-port", "0");
        bootstrapServers = stack.find(Pattern.compile("Kafka bootstrap servers\\s+: (\\S+)"));
        registryUrl = stack.find(Pattern.compile("Schema registry\\s+: (\\S+)"));
        clickHouseUrl = stack.find(Pattern.compile("ClickHouse HTTP\\s+: (\\S+)"));
        processorsUrl = stack.find(Pattern.compile("Processors queries\\s+: (\\S+)"));
        events = new TrainingEvents(bootstrapServers, registryUrl);

        events.started(TEACHER, "teacher-run", EXPERIMENT, "bert-base-teacher", BENCHMARK, null, 50L);
        events.metrics(TEACHER, 1, 50);
        events.resources(TEACHER, 96L << 20, 256L << 20);
        events.finished(TEACHER, RunStatus.COMPLETED, 50, 0.95, 1.50);
        events.started(STUDENT, "student-run", EXPERIMENT, "distil-student", BENCHMARK, TEACHER, null);
        events.metrics(STUDENT, 1, 20);
        events.finished(STUDENT, RunStatus.COMPLETED, 20, 0.93, 0.02);
        events.started(DOMINATED, "dominated-run", EXPERIMENT, "big-model", BENCHMARK, null, null);
        events.finished(DOMINATED, RunStatus.COMPLETED, 10, 0.92, 4.20);
        for (int i = 0; i < 5; i++) {
            String run = "failed-" + i + "-" + UUID.randomUUID();
            FAILED.add(run);
            events.started(run, "failed-run-" + i, EXPERIMENT, null, null, null, null);
            events.failure(run, i < 4 ? "E_OOM_HEAP" : "E_NAN_LOSS", i < 4 ? FailureCategory.RESOURCE : FailureCategory.MODEL);
            events.finished(run, RunStatus.FAILED, 3, 0.0, null);
        }
        events.alert(FAILED.get(4), "inc-" + UUID.randomUUID(), "loss is NaN at step 3");

        eventually(() -> view("runs", "list", "--experiment", EXPERIMENT, "--format", "json").out,
                out -> json(out).size() == 8 && out.split("\"FAILED\"", -1).length == 6);
        eventually(() -> view("leaderboard", "--benchmark", BENCHMARK).out, out -> out.contains("big-model"));
        eventually(() -> view("alerts").out, out -> out.contains("loss is NaN"));
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (events != null) {
            events.close();
        }
        if (stack != null) {
            stack.stop("Stopped.");
            stack.close();
        }
    }

    @Test
    void runsListShowsTheSpecLayoutWithStatusMarksAndDurations() {
        String table = view("runs", "list", "--experiment", EXPERIMENT).out;
        String teacher = line(table, TEACHER);
        assertTrue(teacher.matches("│ " + TEACHER + " +│ teacher-run +│ views-it +│ ✓ OK +│ +0\\.9500 │ +0\\.0500 │ +50 │ +2m 5s │"), teacher);
        assertTrue(line(table, FAILED.get(0)).contains("│ ✗ FAIL "), table);
        assertTrue(table.startsWith("┌─") && table.contains("│ Run ID ") && table.strip().endsWith("┘"), table);

        String ascii = view("runs", "list", "--experiment", EXPERIMENT, "--ascii", "--limit", "2").out;
        assertEquals(2 + 4, ascii.strip().split("\n").length, "two runs, three rules, one header: " + ascii);
        assertTrue(ascii.chars().allMatch(c -> c < 128), ascii);

        JsonNode failed = json(view("runs", "list", "--experiment", EXPERIMENT, "--status", "failed", "--format", "json").out);
        assertEquals(5, failed.size());
        failed.forEach(r -> assertEquals("FAILED", r.get("status").asText()));
        assertEquals(125_000, json(view("runs", "list", "--experiment", EXPERIMENT, "--format", "json").out).findValues("duration_ms")
                .getFirst().asLong());
    }

    @Test
    void aJobWithTheAgentIsOneRunWhoseProcessDataComesFromItsJvmRecord() throws Exception {
        String experiment = "views-jobs-" + UUID.randomUUID().toString().substring(0, 8);
        String host = UUID.randomUUID().toString();
        String training = UUID.randomUUID().toString();
        events.started(host, "TrainMain", experiment, Map.of("entrenar.agent", "premain"));
        events.started(training, "mlp", experiment, Map.of("entrenar.jvm_run_id", host));
        events.metrics(training, 1, 5);
        events.resources(host, 64L << 20, 256L << 20);
        events.resources(host, 96L << 20, 256L << 20);
        events.finished(training, RunStatus.COMPLETED, 5, 0.9, null);
        String list = eventually(() -> view("runs", "list", "--experiment", experiment, "--format", "json").out,
                out -> out.contains(training) && out.contains("COMPLETED"));
        assertEquals(1, json(list).size(), "one job, one run: the JVM's record is not listed: " + list);
        String show = eventually(() -> view("runs", "show", training).out, out -> out.contains("Peak heap used"));
        assertTrue(line(show, "Samples").contains("2 from the JVM's record " + host), show);
        assertTrue(line(show, "Peak heap used").contains("96.0 MB"), show);
        // A JVM's record that hosts no training run (a plain program with the agent) is a run like any other.
        String alone = UUID.randomUUID().toString();
        events.started(alone, "SomeProgram", experiment, Map.of("entrenar.agent", "premain"));
        eventually(() -> view("runs", "list", "--experiment", experiment, "--format", "json").out, out -> out.contains(alone));
    }

    @Test
    void runsShowSummarisesEveryMetric() {
        String show = view("runs", "show", TEACHER).out;
        assertTrue(show.contains("│ Status     │ ✓ OK"), show);
        assertTrue(line(show, "│ loss ").matches("│ loss +│ +50 │ +50 │ +0\\.0392 │.*"), show);
        assertTrue(show.contains("50 (planned 50)"), show);
        assertTrue(line(show, "Samples").contains("1 (the run's own)"), show);
        assertTrue(line(show, "Mean process CPU").contains("75.0 %"), show);
        Result missing = view("runs", "show", "no-such-run");
        assertEquals(1, missing.code);
        assertTrue(missing.err.contains("no run no-such-run in entrenar.runs"), missing.err);
    }

    @Test
    void leaderboardPrintsTheCostPerformanceReportWithRecommendations() {
        String report = view("leaderboard", "--benchmark", BENCHMARK, "--budget", "5").out;
        assertTrue(report.contains("COST-PERFORMANCE BENCHMARK: " + BENCHMARK + " (digits/classification)"), report);
        assertTrue(report.contains("Budget: $5.00 | Best: bert-base-teacher-cpu (Pareto optimal)"), report);
        assertTrue(line(report, "distil-student").matches("│ distil-student +│ CPU +│ +0\\.930 │ +0\\.02 │ +0\\.002 │ ★ OPTIMAL +│"), report);
        assertTrue(line(report, "big-model").contains("│ dominated "), report);
        assertTrue(report.contains("Recommendation: Use distil-student-cpu for 75x cost savings with 2.0% accuracy loss."), report);
        assertTrue(report.contains("For max accuracy within budget: bert-base-teacher-cpu (+2.0% accuracy, +$1.48)"), report);
        String tight = view("leaderboard", "--benchmark", BENCHMARK, "--budget", "0.01").out;
        assertTrue(tight.contains("No entry fits the budget of $0.01."), tight);
    }

    @Test
    void failuresRankErrorCodesAndNameTheVitalFew() {
        String pareto = view("failures", "--experiment", EXPERIMENT + "-id").out;
        assertTrue(line(pareto, "E_OOM_HEAP").matches("│ E_OOM_HEAP +│ RESOURCE +│ +4 │ +4 │ +80\\.0% │ +80\\.0% │ █{20} │ fix E_OOM_HEAP +│"), pareto);
        assertTrue(line(pareto, "E_NAN_LOSS").contains("│ 20.0% │     100.0% │ █████ "), pareto);
        assertTrue(pareto.contains("1 of 2 error codes cause 80.0% of failures: E_OOM_HEAP"), pareto);
    }

    @Test
    void sweepsOfTheTrainerShowTheirBestTrialAndTheParametersThatMattered() throws Exception {
        String experiment = "sweeps-" + UUID.randomUUID().toString().substring(0, 8);
        Path config = Files.writeString(dir.resolve(experiment + ".yaml"), """
                name: iris-grid
                model: {arch: logistic}
                data: {source: iris}
                training: {epochs: 1, output_dir: runs}
                optimizer: {name: sgd, lr: 0.1}
                seed: 3
                sweep:
                  method: grid
                  params: {optimizer.lr: [0.5, 0.0001], training.epochs: [1, 4]}
                """);
        Result trained = run("train", config.toString(), "--track", "--experiment", experiment,
                "--bootstrap-servers", bootstrapServers, "--registry-url", registryUrl,
                "--control-keys", dir.resolve("stack").resolve("control.keys").toString());
        assertEquals(0, trained.code, trained.out + trained.err);

        String list = eventually(() -> view("sweeps", "--experiment", experiment, "--format", "json").out,
                out -> out.contains("\"completed\" : 4"));
        JsonNode sweep = json(list).get(0);
        assertEquals(4, sweep.get("trials").asInt());
        String sweepId = sweep.get("sweep_id").asText();
        assertTrue(sweep.get("best_run_name").asText().startsWith("iris-grid-trial"), list);
        String table = view("sweeps", "--experiment", experiment).out;
        assertTrue(table.contains(sweepId) && table.contains("Best test_accuracy"), table);

        String show = view("sweeps", "show", sweepId).out;
        assertTrue(show.startsWith("Sweep " + sweepId + ": 4 trials, ranked by test_accuracy (higher is better)"), show);
        assertTrue(show.contains("│ optimizer.lr ") && show.contains("│ training.epochs "), "the varying parameters are the columns: " + show);
        assertFalse(show.contains("│ seed "), "a parameter every trial shares is not a column: " + show);
        assertTrue(show.contains("Parameters that mattered"), show);
        JsonNode detail = json(view("sweeps", "show", sweepId, "--format", "json").out);
        assertEquals(4, detail.get("trials").size());
        JsonNode effects = detail.get("effects");
        assertEquals(4, effects.size(), "two values of each of the two varying parameters: " + effects);
        assertEquals("optimizer.lr", effects.get(0).get("param").asText(), "a learning rate of 1e-4 for one epoch hardly learns: " + effects);
        assertTrue(effects.get(0).get("effect").asDouble() > effects.get(2).get("effect").asDouble(), effects.toString());
        // The trials are SWEEP_TRIAL runs with the sweep id as a column, numbered 1..4.
        String rows = view("sql", "SELECT run_type, trial_index FROM entrenar.run_events WHERE sweep_id = {s:String} AND kind = 'started' "
                + "ORDER BY trial_index", "--param", "s=" + sweepId, "--format", "TSV").out;
        assertEquals("SWEEP_TRIAL\t1\nSWEEP_TRIAL\t2\nSWEEP_TRIAL\t3\nSWEEP_TRIAL\t4", rows.strip(), rows);
        String own = view("sql", "SELECT run_type, trial_index FROM entrenar.run_events WHERE sweep_id = {s:String} AND kind = 'started' "
                + "ORDER BY trial_index FORMAT TSV", "--param", "s=" + sweepId).out;
        assertEquals(rows, own, "a statement's own FORMAT clause is printed as asked, not parsed as a table");
        // Two trials side by side: the parameters they differ in, the same config and data, the metrics at the end.
        JsonNode trials = detail.get("trials");
        String a = trials.get(0).get("run_id").asText();
        String b = trials.get(3).get("run_id").asText();
        JsonNode diff = json(view("runs", "diff", a, b, "--format", "json").out);
        List<String> params = new ArrayList<>();
        java.util.Map<String, JsonNode> fields = new java.util.HashMap<>();
        List<String> metrics = new ArrayList<>();
        diff.forEach(r -> {
            switch (r.get("section").asText()) {
                case "param" -> params.add(r.get("key").asText());
                case "run" -> fields.put(r.get("key").asText(), r);
                case "metric" -> metrics.add(r.get("key").asText());
                default -> { }
            }
        });
        assertTrue(params.contains("optimizer.lr") && List.of("optimizer.lr", "training.epochs").containsAll(params),
                "the best and the worst trial differ in the learning rate, and in nothing but the swept parameters: " + diff);
        assertEquals(fields.get("config_sha256").get("a"), fields.get("config_sha256").get("b"), "one config file");
        assertEquals(64, fields.get("dataset_sha256").get("a").asText().length(), "the data's sha256 is there: " + diff);
        assertEquals(fields.get("dataset_sha256").get("a"), fields.get("dataset_sha256").get("b"));
        assertTrue(metrics.contains("loss") && metrics.contains("val_accuracy"), metrics.toString());
        String diffTable = view("runs", "diff", a, b).out;
        assertTrue(diffTable.contains("Parameters that differ: " + params.size()), diffTable);
        assertTrue(line(diffTable, "│ optimizer.lr").contains("0.5"), diffTable);
        Result unknown = view("runs", "diff", a, "no-such-run");
        assertEquals(1, unknown.code);
        assertTrue(unknown.err.contains("no run no-such-run"), unknown.err);
        Result missing = view("sweeps", "show", "no-such-sweep");
        assertEquals(1, missing.code);
        assertTrue(missing.err.contains("no sweep no-such-sweep"), missing.err);
    }

    @Test
    void lineageDrawsTheDagAsATree() {
        String up = view("lineage", STUDENT).out;
        assertEquals(List.of(STUDENT + "  student-run  [✓ OK]", "├── derived from", "│   └── teacher: " + TEACHER + "  teacher-run  [✓ OK]",
                "└── derived runs: none"), up.lines().toList());
        String down = view("lineage", TEACHER).out;
        assertTrue(down.contains("    └── " + STUDENT + "  student-run  [✓ OK] (from this run as teacher)"), down);
    }

    @Test
    void sqlReadsByDefaultAndRefusesWrites() {
        Result count = view("sql", "SELECT count() AS runs FROM entrenar.runs WHERE experiment_name = {e:String}", "--param", "e=" + EXPERIMENT);
        assertEquals(0, count.code, count.err);
        assertTrue(count.out.contains("│    8 │") && count.out.endsWith("1 row\n"), count.out);
        Result drop = view("sql", "/* cleanup */ DROP TABLE entrenar.run_events");
        assertEquals(1, drop.code);
        assertTrue(drop.err.contains("Cannot execute query in readonly mode: Drop is not a read"), drop.err);
        Result written = view("sql", "--write", "DROP TABLE entrenar.run_events");
        assertEquals(1, written.code, "the stack's endpoint serves reads only, --write or not");
        assertTrue(written.err.contains("Cannot execute query in readonly mode"), written.err);
        assertEquals("1\n", view("sql", "EXISTS TABLE entrenar.run_events", "--format", "TSV").out, "the table is still there");
        Result two = view("sql", "SELECT 1; DROP TABLE entrenar.run_events");
        assertEquals(1, two.code);
        assertTrue(two.err.contains("Multi-statements are not allowed"), two.err);
        Result json = view("sql", "SELECT 1 AS one", "--format", "JSONEachRow");
        assertEquals("{\"one\":1}\n", json.out);
    }

    @Test
    void alertsListOpenIncidentsOfARun() {
        String alerts = view("alerts", "--run", FAILED.get(4)).out;
        assertTrue(line(alerts, FAILED.get(4)).matches(".*│ ✗ FIRING │ CRITICAL +│ non_finite │ loss +│ +3 │ NOTIFY │ loss is NaN at step 3 │"), alerts);
        assertEquals("No alerts.\n", view("alerts", "--run", TEACHER).out);
    }

    @Test
    void completionPrintsABashScript() {
        Result r = run("completion", "bash");
        assertEquals(0, r.code);
        assertTrue(r.out.contains("complete -F") && r.out.contains("leaderboard") && r.out.contains("watch"), r.out);
        assertEquals(1, run("completion", "fish").code);
    }

    @Test
    void watchOnceDrawsOneFrameOfTheDashboard() {
        Result r = view("runs", "watch", TEACHER, "--once", "--processors-url", processorsUrl);
        assertEquals(0, r.code, r.err);
        List<String> frame = r.out.lines().toList();
        assertTrue(frame.stream().allMatch(l -> l.codePointCount(0, l.length()) <= 80), r.out);
        assertEquals("  EXPERIMENT: views-it | RUN: teacher-run (teacher-) | STATUS: ✓ OK", frame.get(1));
        assertTrue(line(r.out, "  Step:  ").matches("  Step:  \\[█{10,40}\\] 50/50 \\(100%\\)  elapsed 2m 5s  done"), r.out);
        assertTrue(line(r.out, "  loss ").matches("  loss +[▁▂▃▄▅▆▇█]{20,40}  mean=0\\.\\d{3}  std=0\\.\\d{3}  ↓ improving.*"), r.out);
        assertTrue(line(r.out, "  accuracy ").contains("↑ improving"), r.out);
        assertTrue(r.out.contains("  Heap:        96.0 MB of 256.0 MB max [████████░░░░░░░░░░░░] 38%"), r.out);
        assertTrue(r.out.contains("  JVM:         CPU 75% | threads 12 | GC 7 (3ms paused)"), r.out);
        assertTrue(r.out.contains("  OPEN ALERTS: none"), r.out);
        Result wrong = view("runs", "watch", "--experiment", EXPERIMENT);
        assertEquals(2, wrong.code);
        assertTrue(wrong.err.contains("give either RUN or --experiment NAME --latest"), wrong.err);
    }

    @Test
    void promoteRecordsAGoldenRunThatTheDashboardShows() throws Exception {
        Result r = run("runs", "promote", DOMINATED, "--bootstrap-servers", bootstrapServers, "--registry-url", registryUrl, "--by", "tester");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("run " + DOMINATED + " promoted to golden (entrenar.runs.v1 partition "), r.out);
        eventually(() -> view("sql", "SELECT tags['golden.promoted_by'] AS by FROM entrenar.run_events WHERE run_id = {r:String}"
                + " AND kind = 'annotated' AND tags['golden'] = 'true'", "--param", "r=" + DOMINATED).out, out -> out.contains("│ cli:tester │"));
        String frame = view("runs", "watch", DOMINATED, "--once", "--processors-url", processorsUrl).out;
        assertTrue(frame.lines().skip(1).limit(2).anyMatch(l -> l.contains("★ GOLDEN")), frame);
        String show = view("runs", "show", DOMINATED).out;
        assertTrue(show.contains("│ Golden     │ ★ promoted (the reference later runs compare with)"), show);
    }

    @Test
    void watchInATerminalUpdatesAsPointsArriveAndHandlesKeys() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux is not installed (scripts/setup.sh installs it)");
        String live = "live-" + UUID.randomUUID();
        events.started(live, "live-run", EXPERIMENT + "-live", null, null, null, 40L);
        events.metrics(live, 1, 10);
        Path shots = dir.resolve("shots");
        Path script = Files.writeString(dir.resolve("watch.sh"), String.join("\n", "#!/bin/sh", "export LANG=C.UTF-8",
                "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' --sun-misc-unsafe-memory-access=allow"
                        + " --enable-native-access=ALL-UNNAMED -cp '" + System.getProperty("java.class.path") + "' " + Entrenar.class.getName()
                        + " runs watch --experiment " + EXPERIMENT + "-live --latest --refresh 300ms --clickhouse-url " + clickHouseUrl
                        + " --processors-url " + processorsUrl + " --bootstrap-servers " + bootstrapServers + " --registry-url " + registryUrl
                        + " --screenshot-dir '" + shots + "' 2> '" + dir.resolve("watch.err") + "'", ""));
        // A private server on a socket in the test's directory: other tmux users are untouched, nothing is left behind.
        String socket = dir.resolve("tmux.sock").toString();
        try {
            tmux(socket, "new-session", "-d", "-s", "watch", "-x", "100", "-y", "40", "sh " + script);
            String first = eventuallyPane(socket, p -> p.contains("10/40"));
            assertTrue(first.contains("EXPERIMENT: views-it-live | RUN: live-run"), first);
            assertTrue(first.contains("[q] Quit  [p] Pause  [s] Screenshot  [g] Promote to Golden"), first);

            events.metrics(live, 11, 30);
            String later = eventuallyPane(socket, p -> p.contains("30/40 (75%)"));
            assertTrue(line(later, "  loss ").contains("↓ improving"), later);

            tmux(socket, "send-keys", "-t", "watch", "s");
            String shot = eventuallyPane(socket, p -> p.contains("screenshot: "));
            try (Stream<Path> files = Files.list(shots)) {
                Path file = files.findFirst().orElseThrow();
                String text = Files.readString(file, StandardCharsets.UTF_8);
                assertTrue(text.contains("30/40 (75%)") && !text.contains("\u001b"), "a plain-text frame: " + text);
                assertTrue(shot.contains("  screenshot: " + file.toAbsolutePath().normalize()), shot);
            }

            tmux(socket, "send-keys", "-t", "watch", "p");
            eventuallyPane(socket, p -> p.contains("[PAUSED]") && p.contains("[p] Resume"));
            events.metrics(live, 31, 35);
            Thread.sleep(1500);
            assertTrue(pane(socket).contains("30/40"), "a paused display does not change");
            tmux(socket, "send-keys", "-t", "watch", "p");
            eventuallyPane(socket, p -> p.contains("35/40"));

            tmux(socket, "send-keys", "-t", "watch", "g");
            eventuallyPane(socket, p -> p.contains("promoted to golden: entrenar.runs.v1 partition"));
            eventuallyPane(socket, p -> p.contains("★ GOLDEN"));

            tmux(socket, "send-keys", "-t", "watch", "q");
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (tmux(socket, "has-session", "-t", "watch").exitCode == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertFalse(tmux(socket, "has-session", "-t", "watch").exitCode == 0, "q ends the dashboard");
        } finally {
            tmux(socket, "kill-server");
        }
    }

    private record Result(int code, String out, String err) {
    }

    private record Tmux(int exitCode, String out) {
    }

    /** The command with the stack's ClickHouse endpoint. */
    private static Result view(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--clickhouse-url", clickHouseUrl));
        return run(all.toArray(String[]::new));
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Entrenar.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static String line(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + containing + "' in:\n" + text));
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static String eventually(Supplier<String> read, Predicate<String> done) throws InterruptedException {
        long deadline = System.nanoTime() + LANDING.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = read.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not reached within " + LANDING + "; last:\n" + last);
    }

    private static String eventuallyPane(String socket, Predicate<String> done) throws InterruptedException {
        return eventually(() -> pane(socket), done);
    }

    private static String pane(String socket) {
        return tmux(socket, "capture-pane", "-p", "-t", "watch").out;
    }

    private static Tmux tmux(String socket, String... args) {
        List<String> command = new ArrayList<>(List.of("tmux", "-u", "-S", socket));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Tmux(p.waitFor(), out);
        } catch (IOException e) {
            throw new AssertionError("tmux " + args[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
