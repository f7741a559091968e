package io.entrenar.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrenar.stack.SharedStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The npm package {@code mlflow} 2.0.7 (a third-party Node MLflow client) drives a whole run
 * against the API: {@code interop/node/mlflow-client.js} prints what it read back, and ClickHouse
 * must hold what it wrote. Skipped when {@code node} or {@code interop/node/node_modules/mlflow} is
 * missing (scripts/setup.sh installs both).
 */
@ExtendWith({SharedStack.class, RunningApi.class})
class NodeMlflowClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Path NODE_DIR = Path.of("").toAbsolutePath().getParent().resolve("interop/node");

    @Test
    void theNpmMlflowClientRunsAWholeWorkflowThatLandsInClickHouse() throws Exception {
        assumeTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/mlflow")), "no " + NODE_DIR.resolve("node_modules/mlflow")
                + " (scripts/setup.sh runs npm ci there)");
        assumeTrue(nodeVersion() != null, "no node on PATH");

        String name = "node-mlflow-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode out = runClient(name);
        String exp = out.path("experiment").path("id").asText();
        String run = out.path("run_id").asText();
        assertFalse(exp.isEmpty() || run.isEmpty(), out.toString());
        assertEquals("2.0.7", out.path("package").asText());

        // experiment: created, found by id, by name (get-by-name) and in experiments/list (gone from MLflow's own server in 2.0)
        JsonNode e = out.path("experiment");
        assertTrue(e.path("created").asBoolean(), e.toString());
        assertEquals(name, e.path("get").path("name").asText());
        assertEquals("active", e.path("get").path("lifecycle_stage").asText());
        assertEquals(exp, e.path("by_name_id").asText());
        assertTrue(e.path("listed").asBoolean(), e.toString());
        assertEquals("node", e.path("listed_tags").path("owner").asText(), e.toString());
        // the package's setExperimentTag posts to .../experimentsset-experiment-tag (its bug): MLflow's 404 JSON, not HTML
        assertEquals(404, e.path("set_tag_package_method").path("status").asInt(), e.toString());
        assertEquals("ENDPOINT_NOT_FOUND", e.path("set_tag_package_method").path("error_code").asText());

        // the run as created; the package sends no run_name, the mlflow.runName tag names it
        assertEquals("RUNNING", out.path("created").path("status").asText());
        assertEquals("node-mlp", out.path("created").path("run_name").asText());
        long startSent = out.path("created").path("start_time_sent").asLong();
        assertEquals(startSent, out.path("created").path("start_time").asLong());

        // NaN: the package JSON.stringify's a NaN number to null, refused as MLflow's server refuses it; "NaN" passes
        JsonNode nan = out.path("nan").path("number");
        assertEquals(400, nan.path("status").asInt(), nan.toString());
        assertEquals("INVALID_PARAMETER_VALUE", nan.path("error_code").asText());
        assertTrue(nan.path("message").asText().contains("'value'"), nan.toString());

        // read back while running: params, latest metrics, tags with the deleted one gone
        JsonNode live = out.path("live");
        assertEquals("RUNNING", live.path("status").asText());
        assertEquals("node-mlp", live.path("run_name").asText());
        assertEquals("node-client", live.path("user_id").asText());
        // the client's own start_time, as MLflow keeps it (RunStarted carries it)
        assertEquals(startSent, live.path("start_time").asLong(), live.toString());
        Map<String, String> params = Map.of("lr", "0.01", "optimizer", "adam", "batch_size", "64", "epochs", "7");
        assertEquals(params, strings(live.path("params")));
        assertTags(live.path("tags"));
        assertEquals("0.15@6", latest(live, "loss"));
        assertEquals("0.9@4", latest(live, "accuracy"));
        assertEquals("NaN@4", latest(live, "grad_norm"));
        assertEquals(404, out.path("delete_tag_again").path("status").asInt(), out.path("delete_tag_again").toString());
        assertEquals("RESOURCE_DOES_NOT_EXIST", out.path("delete_tag_again").path("error_code").asText());

        // artifacts: the package's list, root and one directory down
        JsonNode a = out.path("artifacts");
        assertEquals("mlflow-artifacts:/" + exp + "/" + run + "/artifacts", a.path("root_uri").asText());
        assertEquals(1, a.path("files").size(), a.toString());
        assertEquals("eval", a.path("files").get(0).path("path").asText());
        assertTrue(a.path("files").get(0).path("is_dir").asBoolean());
        assertEquals("eval/summary.json", a.path("eval").get(0).path("path").asText(), a.toString());
        assertEquals(a.path("bytes").asLong(), a.path("eval").get(0).path("file_size").asLong());

        // ended FINISHED (MLflow) = COMPLETED (ours)
        assertEquals("FINISHED", out.path("updated").path("status").asText(), out.path("updated").toString());
        long endSent = out.path("updated").path("end_time_sent").asLong();
        assertEquals(endSent, out.path("updated").path("end_time").asLong(), out.path("updated").toString());
        JsonNode fin = out.path("final");
        assertEquals("FINISHED", fin.path("status").asText());
        assertEquals("active", fin.path("lifecycle_stage").asText());
        assertTrue(fin.path("end_time").asLong() >= live.path("start_time").asLong(), fin.toString());
        assertEquals(params, strings(fin.path("params")));
        assertTags(fin.path("tags"));

        // search: the filter finds the run, and only it; a filter nothing meets finds nothing
        assertEquals(List.of(run), texts(out.path("search").path("run_ids")), out.path("search").toString());
        assertEquals(0, out.path("search").path("no_match").asInt());

        // history: every point as sent, in step order, with the client's own timestamps
        long t0 = out.path("sent").path("t0").asLong();
        assertEquals(points(out.path("sent").path("loss"), t0), history(out.path("history").path("loss")));
        assertEquals(points(out.path("sent").path("accuracy"), t0), history(out.path("history").path("accuracy")));
        assertEquals(List.of("4:NaN@" + (t0 + 4)), history(out.path("history").path("grad_norm")));

        // the second run: deleted (found only in DELETED_ONLY), restored
        JsonNode second = out.path("second");
        assertEquals(List.of(second.path("run_id").asText()), texts(second.path("deleted_only")), second.toString());
        assertEquals("active", second.path("restored_stage").asText());
        assertEquals(2, second.path("all").asInt());

        // ClickHouse: one COMPLETED run of the experiment with every param, tag and latest value as summary
        Map<String, String> p = Map.of("r", run, "e", exp, "n", name);
        assertEquals(1, RunningApi.count("SELECT count() FROM entrenar.runs WHERE run_id = {r:String} AND status = 'COMPLETED' "
                + "AND experiment_id = {e:String} AND experiment_name = {n:String} AND run_name = 'node-mlp' "
                + "AND params['lr'] = '0.01' AND params['optimizer'] = 'adam' AND params['batch_size'] = '64' AND params['epochs'] = '7' "
                + "AND tags['team'] = 'vision' AND tags['stage'] = 'dev' AND tags['mlflow.user'] = 'node-client' "
                + "AND tags['mlflow.source.name'] = 'mlflow-client.js' AND NOT mapContains(tags, 'scratch') "
                + "AND abs(summary['loss'] - 0.15) < 1e-12 AND abs(summary['accuracy'] - 0.9) < 1e-12", p),
                "entrenar.runs: " + RunningApi.clickHouse().rows("SELECT status, params, tags, summary FROM entrenar.runs "
                        + "WHERE run_id = {r:String}", p).rows());
        // every point, once, with its value, step and the client's millisecond timestamp
        assertEquals(points(out.path("sent").path("loss"), t0), clickHousePoints(run, "loss"));
        assertEquals(points(out.path("sent").path("accuracy"), t0), clickHousePoints(run, "accuracy"));
        assertEquals(List.of("4:NaN@" + (t0 + 4)), clickHousePoints(run, "grad_norm"));
        assertEquals(13, RunningApi.count("SELECT count() FROM entrenar.metric_points FINAL WHERE run_id = {r:String}", p),
                "7 loss + 5 accuracy + 1 grad_norm; the null NaN wrote nothing");
        assertEquals(1, RunningApi.count("SELECT count() FROM entrenar.runs WHERE run_id = {o:String} "
                + "AND tags['entrenar.lifecycle_stage'] = 'active'", Map.of("o", second.path("run_id").asText())));
        RunningApi.await("the artifact event of eval/summary.json", Duration.ofSeconds(30), () -> RunningApi.count(
                "SELECT count() FROM entrenar.artifacts WHERE run_id = {r:String} AND name = 'eval/summary.json' AND size_bytes = {b:Int64}",
                Map.of("r", run, "b", a.path("bytes").asText())) == 1);
    }

    private static void assertTags(JsonNode tagList) {
        Map<String, String> tags = strings(tagList);
        assertEquals("vision", tags.get("team"), tags.toString());
        assertEquals("dev", tags.get("stage"), tags.toString());
        assertEquals("node-mlp", tags.get("mlflow.runName"), tags.toString());
        assertEquals("mlflow-client.js", tags.get("mlflow.source.name"), tags.toString());
        assertFalse(tags.containsKey("scratch"), "deleted tag: " + tags);
    }

    /** {key: value} of the script's read-back maps. */
    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        object.properties().forEach(en -> out.put(en.getKey(), en.getValue().asText()));
        return out;
    }

    private static String latest(JsonNode run, String key) {
        JsonNode m = run.path("metrics").path(key);
        return m.path("value").asText() + "@" + m.path("step").asLong();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The values the script sent, one per step from 0, at t0 + step: "step:value@ms". */
    private static List<String> points(JsonNode sent, long t0) {
        List<String> out = new ArrayList<>();
        for (int s = 0; s < sent.size(); s++) {
            out.add(s + ":" + sent.get(s).asDouble() + "@" + (t0 + s));
        }
        return out;
    }

    private static List<String> history(JsonNode metrics) {
        List<String> out = new ArrayList<>();
        metrics.forEach(m -> out.add(m.path("step").asLong() + ":" + Params.parseDouble("value", m.path("value").asText())
                + "@" + m.path("timestamp").asLong()));
        return out;
    }

    private static List<String> clickHousePoints(String run, String metric) {
        List<String> out = new ArrayList<>();
        for (List<String> row : RunningApi.clickHouse().rows("SELECT step, toString(value), toUnixTimestamp64Milli(ts) "
                + "FROM entrenar.metric_points FINAL WHERE run_id = {r:String} AND name = {m:String} ORDER BY step, ts",
                Map.of("r", run, "m", metric)).rows()) {
            out.add(row.get(0) + ":" + Params.parseDouble("value", row.get(1)) + "@" + row.get(2));
        }
        return out;
    }

    /** Runs the peer against the shared API, bounded by {@link #TIMEOUT}; its stdout as JSON. */
    private static JsonNode runClient(String experimentName) throws IOException, InterruptedException {
        Path err = Files.createTempFile("mlflow-client", ".err");
        ProcessBuilder pb = new ProcessBuilder("node", "mlflow-client.js").directory(NODE_DIR.toFile()).redirectError(err.toFile());
        pb.environment().put("MLFLOW_TRACKING_URI", RunningApi.api().url());
        pb.environment().put("MLFLOW_EXPERIMENT_NAME", experimentName);
        long t = System.nanoTime();
        Process process = pb.start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("node mlflow-client.js did not finish in " + TIMEOUT + "; stderr:\n" + Files.readString(err));
            }
            String stderr = Files.readString(err);
            if (process.exitValue() != 0) {
                throw new AssertionError("node mlflow-client.js exited with " + process.exitValue() + ":\n" + stderr);
            }
            String json = stdout.join().strip();
            System.out.printf("node mlflow-client.js (%s): %d ms%n%s%n", nodeVersion(), (System.nanoTime() - t) / 1_000_000, json);
            try {
                return MlflowJson.MAPPER.readTree(json);
            } catch (IOException e) {
                throw new AssertionError("mlflow-client.js printed what is not one JSON object:\n" + json + "\nstderr:\n" + stderr, e);
            }
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** {@code node --version}, or null when there is no node on PATH. */
    private static String nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? v : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
