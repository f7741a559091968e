package io.entrenar.mlflow;

import static io.entrenar.mlflow.RunningApi.get;
import static io.entrenar.mlflow.RunningApi.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrenar.stack.SharedStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** MLflow's tracking REST API against the running pipeline: what a client sends, what it gets back, what lands. */
@ExtendWith({SharedStack.class, RunningApi.class})
class MlflowApiTest {
    private static final String API = "/api/2.0/mlflow/";

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String createExperiment(String name) {
        RunningApi.Reply r = post(API + "experiments/create", "{\"name\":\"" + name + "\"}");
        assertEquals(200, r.status(), r.body());
        return r.json().path("experiment_id").asText();
    }

    private static String createRun(String experimentId, String name) {
        RunningApi.Reply r = post(API + "runs/create", "{\"experiment_id\":\"" + experimentId + "\",\"run_name\":\"" + name
                + "\",\"start_time\":" + System.currentTimeMillis() + ",\"user_id\":\"ana\",\"tags\":[{\"key\":\"mlflow.source.name\","
                + "\"value\":\"train.py\"}]}");
        assertEquals(200, r.status(), r.body());
        return r.json().path("run").path("info").path("run_id").asText();
    }

    private static Map<String, String> keyValues(JsonNode list) {
        Map<String, String> out = new java.util.TreeMap<>();
        list.forEach(n -> out.put(n.path("key").asText(), n.path("value").asText()));
        return out;
    }

    @Test
    void aClientWorkflowLandsAsOneRunOfThePipelineAndReadsBackWhatItWrote() throws Exception {
        String name = unique("mlflow-flow");
        String exp = createExperiment(name);
        JsonNode byName = get(API + "experiments/get-by-name?experiment_name=" + name).json().path("experiment");
        assertEquals(exp, byName.path("experiment_id").asText());
        assertEquals("active", byName.path("lifecycle_stage").asText());

        post(API + "experiments/set-experiment-tag", "{\"experiment_id\":\"" + exp + "\",\"key\":\"team name\",\"value\":\"my name is vision\"}");
        JsonNode byFilter = post(API + "experiments/search", "{\"filter\":\"name LIKE '" + name.substring(0, 14)
                + "%' AND tags.`team name` = 'my name is vision'\"}").json();
        assertEquals(1, byFilter.path("experiments").size(), byFilter.toString());
        assertEquals(exp, byFilter.path("experiments").get(0).path("experiment_id").asText());
        assertEquals(0, post(API + "experiments/search", "{\"filter\":\"attribute.name = 'nope'\"}").json().path("experiments").size());

        String run = createRun(exp, "torch-mlp");
        long t0 = System.currentTimeMillis();
        assertEquals(200, post(API + "runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"lr\",\"value\":\"0.01\"}").status());
        // MLflow's quirks: int64 as strings (older clients), NaN as a string, both run_id and run_uuid
        assertEquals(200, post(API + "runs/log-metric", "{\"run_id\":\"" + run + "\",\"run_uuid\":\"" + run
                + "\",\"key\":\"loss\",\"value\":0.9,\"timestamp\":\"" + t0 + "\",\"step\":\"0\"}").status());
        StringBuilder batch = new StringBuilder("{\"run_id\":\"" + run + "\",\"metrics\":[");
        for (int step = 1; step <= 100; step++) {
            batch.append(step > 1 ? "," : "").append("{\"key\":\"loss\",\"value\":").append(1.0 / (step + 1))
                    .append(",\"timestamp\":").append(t0 + step).append(",\"step\":").append(step).append('}');
        }
        batch.append(",{\"key\":\"grad norm\",\"value\":\"NaN\",\"timestamp\":").append(t0 + 100).append(",\"step\":100}");
        batch.append("],\"params\":[{\"key\":\"optimizer\",\"value\":\"adam\"},{\"key\":\"lr\",\"value\":\"0.01\"}],")
                .append("\"tags\":[{\"key\":\"team\",\"value\":\"vision\"},{\"key\":\"scratch\",\"value\":\"x\"}]}");
        RunningApi.Reply logged = post(API + "runs/log-batch", batch.toString());
        assertEquals(200, logged.status(), logged.body());
        assertEquals("{}", logged.body());
        assertEquals(200, post(API + "runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"stage\",\"value\":\"dev\"}").status());
        RunningApi.Reply inputs = post(API + "runs/log-inputs", "{\"run_id\":\"" + run + "\",\"datasets\":[{\"tags\":[{\"key\":"
                + "\"mlflow.data.context\",\"value\":\"train\"}],\"dataset\":{\"name\":\"mnist:train@v1\",\"digest\":\"9a1b2c3d\","
                + "\"source_type\":\"local\",\"source\":\"{\\\"uri\\\": \\\"/data/mnist\\\"}\"}}]}");
        assertEquals(200, inputs.status(), inputs.body());
        assertEquals(200, post(API + "runs/delete-tag", "{\"run_id\":\"" + run + "\",\"key\":\"scratch\"}").status());

        // read your writes: right after the calls, without waiting
        JsonNode got = get(API + "runs/get?run_id=" + run).json().path("run");
        assertEquals("torch-mlp", got.path("info").path("run_name").asText());
        assertEquals("RUNNING", got.path("info").path("status").asText());
        assertEquals("ana", got.path("info").path("user_id").asText());
        assertEquals("mlflow-artifacts:/" + exp + "/" + run + "/artifacts", got.path("info").path("artifact_uri").asText());
        Map<String, String> metrics = new java.util.TreeMap<>();
        got.path("data").path("metrics").forEach(m -> metrics.put(m.path("key").asText(), m.path("value").asText() + "@" + m.path("step").asLong()));
        assertEquals(Map.of("loss", (1.0 / 101) + "@100", "grad norm", "NaN@100"), metrics);
        assertEquals(Map.of("lr", "0.01", "optimizer", "adam"), keyValues(got.path("data").path("params")));
        Map<String, String> tags = keyValues(got.path("data").path("tags"));
        assertEquals("vision", tags.get("team"));
        assertEquals("dev", tags.get("stage"));
        assertFalse(tags.containsKey("scratch"), "deleted tag: " + tags);
        assertEquals("train.py", tags.get("mlflow.source.name"));
        JsonNode dataset = got.path("inputs").path("dataset_inputs").get(0);
        assertEquals("mnist:train@v1", dataset.path("dataset").path("name").asText(), got.path("inputs").toString());
        assertEquals("9a1b2c3d", dataset.path("dataset").path("digest").asText());
        assertEquals("train", dataset.path("tags").get(0).path("value").asText());

        // history, paged
        JsonNode page1 = get(API + "metrics/get-history?run_id=" + run + "&metric_key=loss&max_results=60").json();
        assertEquals(60, page1.path("metrics").size());
        assertEquals(0, page1.path("metrics").get(0).path("step").asLong());
        assertEquals(t0, page1.path("metrics").get(0).path("timestamp").asLong(), "the client's own timestamps");
        String token = page1.path("next_page_token").asText();
        JsonNode page2 = get(API + "metrics/get-history?run_id=" + run + "&metric_key=loss&max_results=60&page_token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8)).json();
        assertEquals(41, page2.path("metrics").size());
        assertTrue(page2.path("next_page_token").isMissingNode(), page2.toString());
        assertEquals(101, get(API + "metrics/get-history?run_id=" + run + "&metric_key=loss").json().path("metrics").size());

        // end it: the pipeline's run is COMPLETED with the latest metrics as its summary
        JsonNode ended = post(API + "runs/update", "{\"run_id\":\"" + run + "\",\"status\":\"FINISHED\",\"end_time\":"
                + System.currentTimeMillis() + "}").json();
        assertEquals("FINISHED", ended.path("run_info").path("status").asText(), ended.toString());
        assertTrue(ended.path("run_info").path("end_time").asLong() >= t0);
        assertEquals(1, RunningApi.count("SELECT count() FROM entrenar.runs WHERE run_id = {r:String} AND status = 'COMPLETED' "
                + "AND experiment_name = {e:String} AND run_name = 'torch-mlp' AND total_steps = 101 AND params['optimizer'] = 'adam' "
                + "AND tags['team'] = 'vision' AND NOT mapContains(tags, 'scratch') AND abs(summary['loss'] - 1 / 101) < 1e-12",
                Map.of("r", run, "e", name)));

        // search: filter on metrics, params, tags and attributes; order; paging
        String run2 = createRun(exp, "torch-mlp-2");
        post(API + "runs/log-batch", "{\"run_id\":\"" + run2 + "\",\"metrics\":[{\"key\":\"loss\",\"value\":0.5,\"timestamp\":" + t0
                + ",\"step\":3}],\"params\":[{\"key\":\"lr\",\"value\":\"0.1\"}]}");
        JsonNode found = post(API + "runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"metrics.loss < 0.1 and params.lr = '0.01' "
                + "and tags.team LIKE 'vis%' and attributes.status = 'FINISHED'\"}").json();
        assertEquals(1, found.path("runs").size(), found.toString());
        assertEquals(run, found.path("runs").get(0).path("info").path("run_id").asText());
        JsonNode ordered = post(API + "runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"order_by\":[\"metrics.loss DESC\"],"
                + "\"max_results\":1}").json();
        assertEquals(run2, ordered.path("runs").get(0).path("info").path("run_id").asText());
        JsonNode next = post(API + "runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"order_by\":[\"metrics.loss DESC\"],"
                + "\"max_results\":1,\"page_token\":\"" + ordered.path("next_page_token").asText() + "\"}").json();
        assertEquals(run, next.path("runs").get(0).path("info").path("run_id").asText());
        JsonNode in = post(API + "runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"attributes.run_name IN ('torch-mlp-2')\"}")
                .json();
        assertEquals(List.of(run2), ids(in));
    }

    private static List<String> ids(JsonNode search) {
        List<String> out = new ArrayList<>();
        search.path("runs").forEach(r -> out.add(r.path("info").path("run_id").asText()));
        return out;
    }

    @Test
    void artifactsUploadDownloadAndListWithTheirSha256InClickHouse() throws Exception {
        String exp = createExperiment(unique("mlflow-artifacts"));
        String run = createRun(exp, "with-model");
        byte[] model = ("weights " + UUID.randomUUID()).repeat(1000).getBytes(StandardCharsets.UTF_8);
        String path = "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/model/weights.safetensors";
        RunningApi.Reply put = RunningApi.send(HttpRequest.newBuilder(URI.create(RunningApi.api().url() + path))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(model)));
        assertEquals(200, put.status(), put.body());
        RunningApi.Reply back = get(path);
        assertEquals(200, back.status());
        assertEquals(new String(model, StandardCharsets.UTF_8), back.body());
        JsonNode list = get(API + "artifacts/list?run_id=" + run).json();
        assertEquals("model", list.path("files").get(0).path("path").asText(), list.toString());
        assertTrue(list.path("files").get(0).path("is_dir").asBoolean());
        JsonNode inner = get(API + "artifacts/list?run_id=" + run + "&path=model").json();
        assertEquals("model/weights.safetensors", inner.path("files").get(0).path("path").asText());
        assertEquals(model.length, inner.path("files").get(0).path("file_size").asLong());
        JsonNode proxied = get("/api/2.0/mlflow-artifacts/artifacts?path=" + exp + "/" + run + "/artifacts/model").json();
        assertEquals("weights.safetensors", proxied.path("files").get(0).path("path").asText(), proxied.toString());

        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        RunningApi.await("artifact event landed", Duration.ofSeconds(30), () -> RunningApi.count(
                "SELECT count() FROM entrenar.artifacts WHERE run_id = {r:String} AND name = 'model/weights.safetensors' "
                        + "AND sha256 = {s:String} AND format = 'SAFETENSORS' AND size_bytes = {n:Int64}",
                Map.of("r", run, "s", sha, "n", Long.toString(model.length))) == 1);

        // a path that climbs out of the store writes nothing
        Path outside = RunningApi.dir().resolve("escaped.txt");
        for (String evil : List.of("../escaped.txt", "..%2Fescaped.txt", exp + "/../../escaped.txt")) {
            RunningApi.Reply refused = RunningApi.send(HttpRequest.newBuilder(URI.create(RunningApi.api().url()
                    + "/api/2.0/mlflow-artifacts/artifacts/" + evil)).PUT(HttpRequest.BodyPublishers.ofString("pwned")));
            assertTrue(refused.status() == 400 || refused.status() == 404, evil + " -> " + refused);
        }
        assertFalse(Files.exists(outside));
        assertEquals(404, get("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/none.bin").status());
    }

    @Test
    void badRequestsGetMlflowErrorsAndChangeNothing() {
        String exp = createExperiment(unique("mlflow-errors"));
        String run = createRun(exp, "guarded");
        post(API + "runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"lr\",\"value\":\"0.01\"}");

        expectError(post(API + "runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"lr\",\"value\":\"0.5\"}"), 400,
                "INVALID_PARAMETER_VALUE", "Changing param values is not allowed");
        expectError(get(API + "runs/get?run_id=" + UUID.randomUUID()), 404, "RESOURCE_DOES_NOT_EXIST", "not found");
        expectError(get(API + "experiments/get?experiment_id=nope"), 404, "RESOURCE_DOES_NOT_EXIST", "nope");
        expectError(get(API + "experiments/get-by-name?experiment_name=" + unique("absent")), 404, "RESOURCE_DOES_NOT_EXIST", "Could not find");
        expectError(post(API + "experiments/create", "{\"name\":\"" + get(API + "experiments/get?experiment_id=" + exp).json()
                .path("experiment").path("name").asText() + "\"}"), 400, "RESOURCE_ALREADY_EXISTS", "already exists");
        expectError(post(API + "experiments/create", "{}"), 400, "INVALID_PARAMETER_VALUE", "'name'");
        expectError(post(API + "runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"../x\",\"value\":1,\"timestamp\":1}"), 400,
                "INVALID_PARAMETER_VALUE", "Invalid metric name");
        expectError(post(API + "runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"loss\",\"value\":\"lots\",\"timestamp\":1}"), 400,
                "INVALID_PARAMETER_VALUE", "double");
        expectError(post(API + "runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"loss\",\"value\":1}"), 400,
                "INVALID_PARAMETER_VALUE", "'timestamp'");
        expectError(post(API + "runs/log-metric", "not json"), 400, "BAD_REQUEST", "not valid JSON");
        StringBuilder tooMany = new StringBuilder("{\"run_id\":\"" + run + "\",\"metrics\":[");
        for (int i = 0; i < 1001; i++) {
            tooMany.append(i > 0 ? "," : "").append("{\"key\":\"m\",\"value\":1,\"timestamp\":1,\"step\":").append(i).append('}');
        }
        expectError(post(API + "runs/log-batch", tooMany + "]}"), 400, "INVALID_PARAMETER_VALUE", "at most 1000 metrics");
        expectError(post(API + "runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"metrics.loss >> 1\"}"), 400,
                "INVALID_PARAMETER_VALUE", "position");
        expectError(post(API + "runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"page_token\":\"???\"}"), 400,
                "INVALID_PARAMETER_VALUE", "page token");
        expectError(post(API + "registered-models/create", "{\"name\":\"m\"}"), 404, "ENDPOINT_NOT_FOUND", "not supported");
        expectError(get(API + "runs/log-metric"), 405, "ENDPOINT_NOT_FOUND", "GET");
        expectError(post(API + "experiments/delete", "{\"experiment_id\":\"0\"}"), 400, "INVALID_PARAMETER_VALUE", "default experiment");

        // a page elsewhere cannot make the browser write
        RunningApi.Reply csrf = post(API + "runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"evil\",\"value\":\"1\"}",
                "Origin", "http://evil.example");
        assertEquals(403, csrf.status(), csrf.body());

        JsonNode after = get(API + "runs/get?run_id=" + run).json().path("run").path("data");
        assertEquals(Map.of("lr", "0.01"), keyValues(after.path("params")));
        assertTrue(after.path("metrics").isEmpty(), after.toString());
        assertFalse(keyValues(after.path("tags")).containsKey("evil"));
    }

    private static void expectError(RunningApi.Reply r, int status, String code, String messagePart) {
        assertEquals(status, r.status(), r.body());
        JsonNode j = r.json();
        assertEquals(code, j.path("error_code").asText(), r.body());
        assertTrue(j.path("message").asText().contains(messagePart), r.body());
    }

    @Test
    void experimentsLiveOnTheirTopicAndARestartedApiContinuesARun() {
        String name = unique("mlflow-restart");
        String exp = createExperiment(name);
        assertEquals(200, post(API + "experiments/set-experiment-tag", "{\"experiment_id\":\"" + exp
                + "\",\"key\":\"owner\",\"value\":\"ana\"}").status());
        String run = createRun(exp, "long-job");
        post(API + "runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[{\"key\":\"loss\",\"value\":0.7,\"timestamp\":1,\"step\":1}],"
                + "\"params\":[{\"key\":\"epochs\",\"value\":\"10\"}]}");
        get(API + "runs/get?run_id=" + run); // landed

        try (MlflowApi second = MlflowApi.start(new MlflowApiConfig(RunningApi.apiConfig()))) {
            String base = second.url() + API;
            RunningApi.Reply e = RunningApi.send(HttpRequest.newBuilder(URI.create(base + "experiments/get?experiment_id=" + exp)).GET());
            assertEquals(name, e.json().path("experiment").path("name").asText(), e.body());
            assertEquals("ana", keyValues(e.json().path("experiment").path("tags")).get("owner"));
            RunningApi.Reply changed = RunningApi.send(HttpRequest.newBuilder(URI.create(base + "runs/log-parameter"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"run_id\":\"" + run + "\",\"key\":\"epochs\",\"value\":\"20\"}")));
            assertEquals(400, changed.status(), "the params logged before the restart still hold: " + changed.body());
            RunningApi.Reply more = RunningApi.send(HttpRequest.newBuilder(URI.create(base + "runs/log-metric"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"run_id\":\"" + run + "\",\"key\":\"loss\",\"value\":0.2,\"timestamp\":2,\"step\":2}")));
            assertEquals(200, more.status(), more.body());
            RunningApi.Reply done = RunningApi.send(HttpRequest.newBuilder(URI.create(base + "runs/update"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"run_id\":\"" + run + "\",\"status\":\"KILLED\"}")));
            assertEquals("KILLED", done.json().path("run_info").path("status").asText(), done.body());
        }
        RunningApi.await("the run continued by the second API", Duration.ofSeconds(30), () -> RunningApi.count(
                "SELECT count() FROM entrenar.metric_points WHERE run_id = {r:String} AND name = 'loss'", Map.of("r", run)) == 2);
        JsonNode deleted = post(API + "experiments/delete", "{\"experiment_id\":\"" + exp + "\"}").json();
        assertEquals("{}", deleted.toString());
        JsonNode active = post(API + "experiments/search", "{\"max_results\":1000}").json();
        active.path("experiments").forEach(x -> assertFalse(x.path("experiment_id").asText().equals(exp)));
        JsonNode gone = post(API + "experiments/search", "{\"view_type\":\"DELETED_ONLY\"}").json();
        assertEquals(name, gone.path("experiments").get(0).path("name").asText(), gone.toString());
        expectError(post(API + "runs/create", "{\"experiment_id\":\"" + exp + "\"}"), 400, "INVALID_STATE", "active");
    }

    @Test
    void javaRunsAreVisibleToMlflowClientsInTheirExperiment() {
        String name = unique("java-side");
        try (var tracker = io.entrenar.tracking.Tracker.start(Map.of(
                "bootstrap.servers", SharedStack.stack().bootstrapServers(), "schema.registry.url", SharedStack.stack().registryUrl(),
                "spool.dir", RunningApi.dir().resolve("java-spool").toString(),
                "control.keys.file", RunningApi.dir().resolve("control.keys").toString()))) {
            var run = tracker.experiment(name).run("tribuo-mlp").param("hidden", 64).start();
            run.logMetric("accuracy", 0.93, 5);
            run.finish(Map.of("accuracy", 0.93));
            tracker.flush(Duration.ofSeconds(30));
            RunningApi.await("java run landed", Duration.ofSeconds(30), () -> RunningApi.count(
                    "SELECT count() FROM entrenar.runs WHERE run_id = {r:String} AND status = 'COMPLETED'", Map.of("r", run.id())) == 1);
            JsonNode exp = get(API + "experiments/get-by-name?experiment_name=" + name).json().path("experiment");
            assertEquals(tracker.experiment(name).id(), exp.path("experiment_id").asText(), exp.toString());
            JsonNode found = post(API + "runs/search", "{\"experiment_ids\":[\"" + exp.path("experiment_id").asText()
                    + "\"],\"filter\":\"metrics.accuracy > 0.9 and params.hidden = '64'\"}").json();
            assertEquals(List.of(run.id()), ids(found));
            assertEquals("FINISHED", found.path("runs").get(0).path("info").path("status").asText());
        }
    }

    @Test
    void withCredentialsEveryCallNeedsThemAndBeyondLoopbackTheyAreRequired() {
        Map<String, Object> open = new java.util.HashMap<>(RunningApi.apiConfig());
        open.put(MlflowApiConfig.HOST_CONFIG, "0.0.0.0");
        var refused = org.junit.jupiter.api.Assertions.assertThrows(org.apache.kafka.common.config.ConfigException.class,
                () -> new MlflowApiConfig(open));
        assertTrue(refused.getMessage().contains("host") && refused.getMessage().contains("auth.user"), refused.getMessage());

        Map<String, Object> locked = new java.util.HashMap<>(RunningApi.apiConfig());
        locked.put(MlflowApiConfig.AUTH_USER_CONFIG, "ana");
        locked.put(MlflowApiConfig.AUTH_PASSWORD_CONFIG, "s3cret");
        locked.put(MlflowApiConfig.AUTH_TOKEN_CONFIG, "tok-123");
        try (MlflowApi api = MlflowApi.start(new MlflowApiConfig(locked))) {
            String url = api.url() + API + "experiments/create";
            String body = "{\"name\":\"" + unique("locked") + "\"}";
            java.util.function.Function<String, RunningApi.Reply> create = auth -> {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                if (auth != null) {
                    b.header("Authorization", auth);
                }
                return RunningApi.send(b);
            };
            expectError(create.apply(null), 401, "UNAUTHENTICATED", "authentication required");
            expectError(create.apply("Basic " + java.util.Base64.getEncoder().encodeToString("ana:wrong".getBytes(StandardCharsets.UTF_8))),
                    401, "UNAUTHENTICATED", "authentication required");
            expectError(create.apply("Bearer tok-12"), 401, "UNAUTHENTICATED", "authentication required");
            assertEquals(200, create.apply("Basic " + java.util.Base64.getEncoder().encodeToString("ana:s3cret".getBytes(StandardCharsets.UTF_8)))
                    .status());
            RunningApi.Reply again = create.apply("Bearer tok-123");
            assertEquals(400, again.status(), "authenticated, and the experiment exists now: " + again.body());
            assertEquals(200, RunningApi.send(HttpRequest.newBuilder(URI.create(api.url() + "/health")).GET()).status(),
                    "a health probe needs no credentials");
            assertEquals(401, RunningApi.send(HttpRequest.newBuilder(URI.create(api.url() + API + "experiments/search")).GET()).status());
        }
    }

    @Test
    void pauseHoldsTheJobsNextCallAndStopRefusesItsWrites() throws Exception {
        String exp = createExperiment(unique("mlflow-control"));
        String run = createRun(exp, "steered");
        assertEquals(200, post(API + "runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"loss\",\"value\":1,\"timestamp\":1,\"step\":0}").status());
        var keys = io.entrenar.control.ControlKeys.load(RunningApi.dir().resolve("control.keys"));
        try (var publisher = new io.entrenar.control.ControlPublisher(new io.entrenar.config.KafkaClients(
                SharedStack.stack().bootstrapServers(), Map.of(), "mlflow-test"), Map.of(), SharedStack.registry(), keys)) {
            publisher.publish(run, io.entrenar.events.ControlAction.PAUSE, "look at it", "cli:ana", null);
            RunningApi.await("paused", Duration.ofSeconds(30), () -> RunningApi.count(
                    "SELECT count() FROM entrenar.runs WHERE run_id = {r:String} AND status = 'PAUSED'", Map.of("r", run)) == 1);
            long t0 = System.nanoTime();
            var held = java.util.concurrent.CompletableFuture.supplyAsync(() -> post(API + "runs/log-metric",
                    "{\"run_id\":\"" + run + "\",\"key\":\"loss\",\"value\":0.5,\"timestamp\":2,\"step\":1}"));
            Thread.sleep(1_500);
            assertFalse(held.isDone(), "the job's call waits while its run is paused");
            publisher.publish(run, io.entrenar.events.ControlAction.RESUME, null, "cli:ana", null);
            assertEquals(200, held.get(30, java.util.concurrent.TimeUnit.SECONDS).status());
            assertTrue((System.nanoTime() - t0) / 1e9 >= 1.5);

            publisher.publish(run, io.entrenar.events.ControlAction.STOP, "diverging", "andon:non_finite", null);
            RunningApi.await("stopped at once, not at the next call", Duration.ofSeconds(30), () -> RunningApi.count(
                    "SELECT count() FROM entrenar.runs WHERE run_id = {r:String} AND status = 'STOPPED'", Map.of("r", run)) == 1);
            expectError(post(API + "runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"loss\",\"value\":0.4,\"timestamp\":3,\"step\":2}"),
                    400, "INVALID_STATE", "STOP from andon:non_finite: diverging");
            // the client's exception handler ends the run FAILED: the stop stays the truth
            JsonNode after = post(API + "runs/update", "{\"run_id\":\"" + run + "\",\"status\":\"FAILED\"}").json();
            assertEquals("KILLED", after.path("run_info").path("status").asText(), after.toString());
            assertEquals(2, RunningApi.count("SELECT count() FROM entrenar.metric_points WHERE run_id = {r:String}", Map.of("r", run)));
        }
    }
}
