package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrenar.alerting.WebhookReceiver;
import io.entrenar.cli.pipeline.Pipeline;
import io.entrenar.cli.pipeline.PipelineConfig;
import io.entrenar.sink.engine.QueryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, a Python way in that needs nothing from PyPI: examples/python/train_mlflow.py trains a
 * PyTorch MLP with Debian's python3-torch and logs it through the stack's MLflow API with
 * python3-requests alone. With {@code --nan-at} one step's loss is NaN: Andon's non_finite must reach
 * the stack's webhook receiver, signed, and its EMERGENCY_STOP must stop the Python job (the
 * refusal of its next logging call), which keeps a checkpoint and exits 4; the run must land in
 * ClickHouse with its experiment, status STOPPED, loss curve up to the stop (the NaN point
 * included) and the checkpoint's sha256. Skipped only where /usr/bin/python3 cannot import torch
 * (scripts/setup.sh installs it).
 */
class PythonMlflowExampleTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    // room for the stop: it arrives within a second of the NaN, some tens of steps later; more under load
    private static final int STEPS = 1000;
    private static final int NAN_AT = 120;
    private static final String ARTIFACT = "model/state_dict.pt";
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration LANDING_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aPyTorchRunLoggedThroughMlflowsRestApiIsStoppedByAndonOnNanAndLandsWithItsCurveAndCheckpoint(@TempDir Path dir) throws Exception {
        assumeTrue(torchImports(), "/usr/bin/python3 cannot import torch: run scripts/setup.sh (Debian's python3-torch)");
        Path script = repoRoot().resolve("examples/python/train_mlflow.py");
        assertTrue(Files.isRegularFile(script), script + " exists");
        Path dataDir = dir.resolve("data");
        Path output = dir.resolve("out");

        try (Pipeline pipeline = Pipeline.start(new PipelineConfig(Map.ofEntries(Map.entry("data.dir", dataDir.toString()),
                Map.entry("kafka.port", 0), Map.entry("registry.port", 0), Map.entry("webhook.receiver.port", 0),
                Map.entry("ops.port", -1), Map.entry("topics.partitions", 1), Map.entry("processors.http.port", 0),
                Map.entry("sink.http.port", 0), Map.entry("dashboard.enabled", false), Map.entry("mlflow.port", 0))))) {
            assertTrue(pipeline.processors().awaitRunning(Duration.ofSeconds(60)), "processors running");
            String experiment = "python-example-" + UUID.randomUUID().toString().substring(0, 8);
            long before = System.currentTimeMillis();

            // What a user types: MLFLOW_TRACKING_URI (and the experiment), then the script.
            ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), script.toString(), "--nan-at", String.valueOf(NAN_AT),
                    "--steps", String.valueOf(STEPS), "--output-dir", output.toString())
                    .directory(repoRoot().toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("script.log").toFile());
            pb.environment().put("MLFLOW_TRACKING_URI", pipeline.mlflowUrl());
            pb.environment().put("MLFLOW_EXPERIMENT_NAME", experiment);
            pb.environment().remove("LD_PRELOAD"); // surefire preloads the JVM's libjsig for chDB; Python needs none of it
            Process python = pb.start();
            boolean exited = python.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!exited) {
                python.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            String log = Files.readString(dir.resolve("script.log"));
            assertTrue(exited, "the script ends within " + SCRIPT_TIMEOUT.toSeconds() + " s:\n" + log);
            assertEquals(4, python.exitValue(), "exit 4: the pipeline stopped the run\n" + log);
            long after = System.currentTimeMillis();
            String runId = group(log, "(?m)^run_id (\\S+)");
            int stoppedAt = Integer.parseInt(group(log, "(?m)^run " + Pattern.quote(runId) + " KILLED: stopped by the pipeline at step (\\d+)"));
            String printedSha = group(log, "(?m)checkpoint " + Pattern.quote(ARTIFACT) + " sha256 ([0-9a-f]{64})");
            assertTrue(stoppedAt > NAN_AT && stoppedAt < STEPS, "stopped after the NaN step, before the end: " + stoppedAt + "\n" + log);
            assertTrue(log.contains("STOP from andon"), "the refusal names who stopped it:\n" + log);

            // The run, as MLflow's clients read it back and as ClickHouse holds it.
            JsonNode got = new ObjectMapper().readTree(http(pipeline.mlflowUrl() + "/api/2.0/mlflow/runs/get?run_id="
                    + URLEncoder.encode(runId, StandardCharsets.UTF_8)));
            assertEquals("KILLED", got.path("run").path("info").path("status").asText(), got.toString());
            QueryResult run = await(pipeline, "SELECT experiment_id, experiment_name, status, total_steps, tags['mlflow.user'] AS user, "
                    + "tags['mlflow.source.name'] AS source FROM entrenar.runs WHERE run_id = {r:String}", runId,
                    r -> r.size() == 1 && "STOPPED".equals(r.get(0, "status")));
            assertEquals(1, run.size(), "the run in entrenar.runs");
            assertEquals("STOPPED", run.get(0, "status"), "MLflow's KILLED");
            assertEquals(experiment, run.get(0, "experiment_name"));
            assertTrue(run.get(0, "source").endsWith("examples/python/train_mlflow.py"), run.rows().toString());
            assertTrue(!run.get(0, "user").isEmpty(), "mlflow.user tag");
            String experimentId = run.get(0, "experiment_id");

            // The loss curve: one point per step logged before the stop, with the client's own epoch-ms times.
            QueryResult loss = await(pipeline, "SELECT count() AS points, uniqExact(step) AS steps, min(step) AS first, "
                    + "max(step) AS last, countIf(isNaN(value)) AS nans, anyIf(step, isNaN(value)) AS nan_step, "
                    + "avgIf(value, step < 10) AS early, avgIf(value, step >= {n:Int64} - 10 AND step < {n:Int64}) AS late, "
                    + "toUnixTimestamp64Milli(min(ts)) AS t0, toUnixTimestamp64Milli(max(ts)) AS t1 "
                    + "FROM entrenar.metric_points FINAL WHERE run_id = {r:String} AND name = 'loss'", runId,
                    r -> r.getLong(0, "points") >= stoppedAt);
            assertEquals(stoppedAt, loss.getLong(0, "points"), "one loss point per step before the refused one");
            assertEquals(stoppedAt, loss.getLong(0, "steps"));
            assertEquals(0, loss.getLong(0, "first"));
            assertEquals(stoppedAt - 1, loss.getLong(0, "last"));
            assertEquals(1, loss.getLong(0, "nans"), "the NaN point is in the curve");
            assertEquals(NAN_AT, loss.getLong(0, "nan_step"));
            double early = loss.getDouble(0, "early");
            double late = loss.getDouble(0, "late");
            assertTrue(late < early / 2, "the loss falls before the NaN: first ten steps " + early + ", last ten before it " + late);
            assertTrue(loss.getLong(0, "t0") >= before && loss.getLong(0, "t1") <= after,
                    "points carry the script's timestamps, within the run: " + loss.rows());

            // Andon: non_finite fires on the NaN step and reaches the local webhook receiver, signed.
            WebhookReceiver.Delivery firing = awaitDelivery(pipeline, d -> runId.equals(d.body().path("run_id").asText())
                    && "non_finite".equals(d.body().path("rule").asText()) && "FIRING".equals(d.body().path("state").asText()));
            assertTrue(firing.signatureValid(), "signed with the stack's webhook secret");
            assertEquals("loss", firing.body().path("metric").asText());
            assertEquals(NAN_AT, firing.body().path("step").asLong(), firing.body().toString());
            await(pipeline, "SELECT count() AS n FROM entrenar.alerts WHERE run_id = {r:String} AND rule = 'non_finite' "
                    + "AND state = 'FIRING'", runId, r -> r.getLong(0, "n") >= 1);

            // The checkpoint: the bytes the script saved when stopped, stored by the proxy, recorded with their sha256.
            String saved = sha256(output.resolve("state_dict.pt"));
            assertEquals(saved, printedSha, "the script prints the sha256 of the file it saved");
            Path stored = dataDir.resolve("mlflow/artifacts").resolve(experimentId).resolve(runId).resolve("artifacts").resolve(ARTIFACT);
            assertEquals(saved, sha256(stored), "the artifact store holds the same bytes");
            QueryResult artifact = await(pipeline, "SELECT sha256, size_bytes, format FROM entrenar.artifacts FINAL "
                    + "WHERE run_id = {r:String} AND name = '" + ARTIFACT + "'", runId, r -> r.size() == 1);
            assertEquals(saved, artifact.get(0, "sha256"));
            assertEquals(Files.size(stored), artifact.getLong(0, "size_bytes"));
            assertEquals("PYTORCH_BIN", artifact.get(0, "format"));
        }
    }

    /** The repository root: the tests run in cli/. */
    private static Path repoRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        return Files.isDirectory(cwd.resolve("examples")) ? cwd : cwd.getParent();
    }

    private static boolean torchImports() throws InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, requests").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().remove("LD_PRELOAD");
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "/" + regex + "/ in the script's output:\n" + text);
        return m.group(1);
    }

    /** The rows of {@code sql} for run {@code runId} once {@code done} holds (what the sink lands is eventually there). */
    private static QueryResult await(Pipeline pipeline, String sql, String runId, Predicate<QueryResult> done) throws InterruptedException {
        long deadline = System.nanoTime() + LANDING_TIMEOUT.toNanos();
        Map<String, String> params = sql.contains("{n:") ? Map.of("r", runId, "n", String.valueOf(NAN_AT)) : Map.of("r", runId);
        QueryResult r = pipeline.clickHouse().rows(sql, params);
        while (!done.test(r) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            r = pipeline.clickHouse().rows(sql, params);
        }
        return r;
    }

    private static WebhookReceiver.Delivery awaitDelivery(Pipeline pipeline, Predicate<WebhookReceiver.Delivery> match)
            throws InterruptedException {
        long deadline = System.nanoTime() + LANDING_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (WebhookReceiver.Delivery d : pipeline.webhookReceiver().deliveries()) {
                if (match.test(d)) {
                    return d;
                }
            }
            Thread.sleep(100);
        }
        List<String> got = pipeline.webhookReceiver().deliveries().stream().map(d -> d.body().toString()).toList();
        throw new AssertionError("no matching webhook delivery within " + LANDING_TIMEOUT.toSeconds() + " s; got " + got);
    }

    private static String http(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return r.body();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
