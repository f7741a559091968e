package io.entrenar.mlflow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrenar.events.ExperimentDefined;
import io.entrenar.events.LifecycleStage;
import io.entrenar.ops.http.HttpCall;
import io.entrenar.ops.http.HttpReply;
import io.entrenar.ops.http.HttpService;
import io.entrenar.ops.http.Route;

/**
 * MLflow's tracking REST API 2.0 over {@link Experiments}, {@link RunWriter}, {@link RunReader}
 * and {@link Artifacts}: one method per endpoint, each reading its fields with {@link Params} and
 * answering MLflow's JSON. Served under {@code /api/2.0/mlflow/} and {@code /ajax-api/2.0/mlflow/};
 * the artifact proxy under {@code /api/2.0/mlflow-artifacts/artifacts}.
 */
final class TrackingEndpoints {
    /** MLflow's limits (mlflow/utils/validation.py). */
    static final int MAX_KEY = 250;
    static final int MAX_PARAM_VALUE = 6000;
    static final int MAX_TAG_VALUE = 8000;
    static final int MAX_BATCH_METRICS = 1000;
    static final int MAX_BATCH_PARAMS = 100;
    static final int MAX_BATCH_TAGS = 100;
    static final int MAX_BATCH_TOTAL = 1000;
    static final int MAX_SEARCH_RESULTS = 50_000;
    private static final Pattern KEY = Pattern.compile("[\\w.\\- /]*", Pattern.UNICODE_CHARACTER_CLASS);

    private final Experiments experiments;
    private final RunWriter writer;
    private final RunReader reader;
    private final Artifacts artifacts;
    private final Duration readWait;

    TrackingEndpoints(Experiments experiments, RunWriter writer, RunReader reader, Artifacts artifacts, Duration readWait) {
        this.experiments = experiments;
        this.writer = writer;
        this.reader = reader;
        this.artifacts = artifacts;
        this.readWait = readWait;
    }

    private interface Endpoint {
        ObjectNode answer(Params p) throws Exception;
    }

    /** Adds every endpoint to {@code http}, under both of MLflow's prefixes. */
    void register(HttpService.Builder http) {
        for (String prefix : List.of("/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/")) {
            post(http, prefix + "experiments/create", this::createExperiment);
            get(http, prefix + "experiments/get", this::getExperiment);
            get(http, prefix + "experiments/get-by-name", this::getExperimentByName);
            post(http, prefix + "experiments/search", this::searchExperiments);
            get(http, prefix + "experiments/search", this::searchExperiments);
            get(http, prefix + "experiments/list", this::searchExperiments);
            post(http, prefix + "experiments/update", this::updateExperiment);
            post(http, prefix + "experiments/delete", p -> stageExperiment(p, LifecycleStage.DELETED));
            post(http, prefix + "experiments/restore", p -> stageExperiment(p, LifecycleStage.ACTIVE));
            post(http, prefix + "experiments/set-experiment-tag", this::setExperimentTag);
            post(http, prefix + "runs/create", this::createRun);
            get(http, prefix + "runs/get", this::getRun);
            post(http, prefix + "runs/update", this::updateRun);
            post(http, prefix + "runs/delete", p -> runLifecycle(p, "deleted"));
            post(http, prefix + "runs/restore", p -> runLifecycle(p, "active"));
            post(http, prefix + "runs/search", this::searchRuns);
            post(http, prefix + "runs/log-metric", this::logMetric);
            post(http, prefix + "runs/log-parameter", this::logParam);
            post(http, prefix + "runs/set-tag", this::setTag);
            post(http, prefix + "runs/delete-tag", this::deleteTag);
            // the hot path: read as a stream, not as a tree
            http.route("POST", prefix + "runs/log-batch", call -> {
                BatchRequest batch = BatchRequest.read(call.body());
                writer.logBatch(batch.runId, batch.metrics, batch.params, batch.tags);
                return json(MlflowJson.object());
            });
            post(http, prefix + "runs/log-inputs", this::logInputs);
            post(http, prefix + "runs/log-model", this::logModel);
            http.route("GET", prefix + "metrics/get-history", call -> getHistory(Params.ofQuery(call::queryAll)));
            get(http, prefix + "artifacts/list", this::listRunArtifacts);
        }
        String store = "/api/2.0/mlflow-artifacts/artifacts";
        http.route("GET", store, call -> json(listStore(call.query("path"))));
        http.route("GET", store + "/*", call -> HttpReply.file(artifacts.get(call.rest()), "application/octet-stream"));
        http.route("PUT", store + "/*", Long.MAX_VALUE, this::upload);
        http.route("DELETE", store + "/*", call -> {
            artifacts.delete(call.rest());
            return json(MlflowJson.object());
        });
    }

    private void post(HttpService.Builder http, String path, Endpoint e) {
        http.route("POST", path, call -> json(e.answer(Params.ofJson(body(call)))));
    }

    private void get(HttpService.Builder http, String path, Endpoint e) {
        http.route("GET", path, call -> json(e.answer(Params.ofQuery(call::queryAll))));
    }

    /** An unknown path under MLflow's prefixes: MLflow's own 404 JSON, never an HTML page. */
    static Route notFound() {
        return call -> HttpReply.json(404, MlflowJson.error("ENDPOINT_NOT_FOUND", "No API endpoint " + call.method() + " " + call.path()
                + " on this server: it serves MLflow's tracking API (experiments, runs, metrics, artifacts); the model registry, "
                + "traces, prompts and gateway endpoints are not supported"));
    }

    private static JsonNode body(HttpCall call) throws IOException {
        byte[] bytes = call.body();
        if (bytes.length == 0) {
            return null;
        }
        try {
            return MlflowJson.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw MlflowException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static HttpReply json(ObjectNode body) {
        return HttpReply.json(200, MlflowJson.bytes(body));
    }

    // ---- experiments ----

    private ObjectNode createExperiment(Params p) {
        String name = p.requiredString("name");
        if (name.length() > MAX_KEY * 2) {
            throw MlflowException.invalid("Experiment name '" + name.substring(0, 50) + "...' is longer than " + MAX_KEY * 2);
        }
        Map<String, String> tags = keyValues(p, "tags", MAX_TAG_VALUE);
        ExperimentDefined e = experiments.create(name, tags);
        return MlflowJson.object().put("experiment_id", e.getRunId());
    }

    private ObjectNode getExperiment(Params p) {
        String id = p.requiredString("experiment_id");
        ExperimentDefined e = experiments.byId(id);
        if (e == null) {
            adoptFromRuns();
            e = experiments.existing(id);
        }
        ObjectNode out = MlflowJson.object();
        out.set("experiment", MlflowJson.experiment(e));
        return out;
    }

    private ObjectNode getExperimentByName(Params p) {
        String name = p.requiredString("experiment_name");
        ExperimentDefined e = experiments.byName(name);
        if (e == null) {
            adoptFromRuns();
            e = experiments.byName(name);
        }
        if (e == null) {
            throw MlflowException.notFound("Could not find experiment with name '" + name + "'");
        }
        ObjectNode out = MlflowJson.object();
        out.set("experiment", MlflowJson.experiment(e));
        return out;
    }

    private ObjectNode searchExperiments(Params p) {
        adoptFromRuns();
        String view = viewType(p.string("view_type"));
        int max = maxResults(p, 1000, MAX_SEARCH_RESULTS);
        String filter = p.string("filter");
        List<ExperimentDefined> all = new ArrayList<>();
        for (ExperimentDefined e : experiments.all()) {
            boolean active = e.getLifecycleStage() == LifecycleStage.ACTIVE;
            if ((view.equals("ACTIVE_ONLY") && !active) || (view.equals("DELETED_ONLY") && active)) {
                continue;
            }
            if (filter != null && !filter.isBlank() && !experimentMatches(e, filter)) {
                continue;
            }
            all.add(e);
        }
        List<String> orderBy = p.strings("order_by");
        all.sort(experimentOrder(orderBy));
        int offset = offset(p.string("page_token"));
        ObjectNode out = MlflowJson.object();
        ArrayNode list = out.putArray("experiments");
        all.stream().skip(offset).limit(max).forEach(e -> list.add(MlflowJson.experiment(e)));
        if (offset + max < all.size()) {
            out.put("next_page_token", token(offset + max));
        }
        return out;
    }

    /** Experiment filters: {@code name}, {@code creation_time}, {@code last_update_time} and {@code tags.KEY}, joined by AND. */
    private static boolean experimentMatches(ExperimentDefined e, String filter) {
        Map<String, String> tags = new LinkedHashMap<>(e.getTags());
        RunRecord asRun = new RunRecord(e.getRunId(), e.getName(), e.getRunId(), "RUNNING", e.getCreatedAtMicros().toEpochMilli(),
                e.getTsMicros().toEpochMilli(), "active", List.of(), Map.of(), tags);
        return SearchFilter.parseExperiments(filter).test(asRun);
    }

    private static java.util.Comparator<ExperimentDefined> experimentOrder(List<String> orderBy) {
        java.util.Comparator<ExperimentDefined> c = null;
        for (String o : orderBy) {
            String[] parts = o.strip().split("\\s+");
            String field = parts[0].replaceFirst("(?i)^(attributes|attribute|attr)\\.", "");
            boolean asc = parts.length < 2 || parts[1].equalsIgnoreCase("ASC");
            java.util.Comparator<ExperimentDefined> one = switch (field) {
                case "name" -> java.util.Comparator.comparing(ExperimentDefined::getName);
                case "experiment_id" -> java.util.Comparator.comparing(ExperimentDefined::getRunId);
                case "creation_time" -> java.util.Comparator.comparing(ExperimentDefined::getCreatedAtMicros);
                case "last_update_time" -> java.util.Comparator.comparing(ExperimentDefined::getTsMicros);
                default -> throw MlflowException.invalid("Invalid order_by clause '" + o + "': experiments order by name, "
                        + "experiment_id, creation_time or last_update_time");
            };
            one = asc ? one : one.reversed();
            c = c == null ? one : c.thenComparing(one);
        }
        java.util.Comparator<ExperimentDefined> tail = java.util.Comparator.comparing(ExperimentDefined::getCreatedAtMicros).reversed()
                .thenComparing(ExperimentDefined::getRunId);
        return c == null ? tail : c.thenComparing(tail);
    }

    private ObjectNode updateExperiment(Params p) {
        String id = p.requiredString("experiment_id");
        String name = p.string("new_name");
        if (name != null && !name.isEmpty()) {
            experiments.rename(id, name);
        } else {
            experiments.existing(id);
        }
        return MlflowJson.object();
    }

    private ObjectNode stageExperiment(Params p, LifecycleStage stage) {
        experiments.stage(p.requiredString("experiment_id"), stage);
        return MlflowJson.object();
    }

    private ObjectNode setExperimentTag(Params p) {
        String key = key(p.requiredString("key"), "tag");
        String value = value(p.string("value"), "tag '" + key + "'", MAX_TAG_VALUE);
        experiments.tag(p.requiredString("experiment_id"), key, value);
        return MlflowJson.object();
    }

    /** Experiments that Java jobs made without this API become MLflow experiments on first sight. */
    private void adoptFromRuns() {
        reader.experimentsOfRuns().forEach(experiments::adopt);
    }

    // ---- runs ----

    private ObjectNode createRun(Params p) {
        String experimentId = p.string("experiment_id");
        if (experimentId == null || experimentId.isEmpty()) {
            experimentId = Experiments.DEFAULT_ID;
        }
        if (experiments.byId(experimentId) == null) {
            adoptFromRuns();
        }
        Map<String, String> tags = keyValues(p, "tags", MAX_TAG_VALUE);
        String user = p.string("user_id");
        if (user != null && !user.isEmpty()) {
            tags.putIfAbsent("mlflow.user", user);
        }
        RunRecord r = writer.create(experimentId, p.string("run_name"), p.longValue("start_time"), tags);
        ObjectNode out = MlflowJson.object();
        out.set("run", MlflowJson.run(r));
        return out;
    }

    private ObjectNode getRun(Params p) {
        ObjectNode out = MlflowJson.object();
        out.set("run", MlflowJson.run(readRun(p.runId())));
        return out;
    }

    private ObjectNode updateRun(Params p) {
        String runId = p.runId();
        writer.update(runId, p.string("status"), p.longValue("end_time"), p.string("run_name"));
        ObjectNode out = MlflowJson.object();
        out.set("run_info", MlflowJson.runInfo(readRun(runId)));
        return out;
    }

    private ObjectNode runLifecycle(Params p, String stage) {
        writer.lifecycle(p.runId(), stage);
        return MlflowJson.object();
    }

    private ObjectNode searchRuns(Params p) {
        List<String> ids = p.strings("experiment_ids");
        if (ids.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'experiment_ids'");
        }
        String view = viewType(p.string("run_view_type"));
        int max = maxResults(p, 1000, MAX_SEARCH_RESULTS);
        Predicate<RunRecord> filter = SearchFilter.parse(p.string("filter"));
        java.util.Comparator<RunRecord> order = SearchFilter.order(p.strings("order_by"));
        awaitLanded(writer.fencesOf(new HashSet<>(ids)));
        List<RunRecord> matched = new ArrayList<>();
        for (RunRecord r : reader.runsOf(ids)) {
            boolean active = r.lifecycleStage().equals("active");
            if ((view.equals("ACTIVE_ONLY") && !active) || (view.equals("DELETED_ONLY") && active)) {
                continue;
            }
            if (filter.test(r)) {
                matched.add(r);
            }
        }
        matched.sort(order);
        int offset = offset(p.string("page_token"));
        ObjectNode out = MlflowJson.object();
        ArrayNode runs = out.putArray("runs");
        matched.stream().skip(offset).limit(max).forEach(r -> runs.add(MlflowJson.run(r)));
        if (offset + max < matched.size()) {
            out.put("next_page_token", token(offset + max));
        }
        return out;
    }

    private ObjectNode logMetric(Params p) {
        String runId = p.runId();
        String key = key(p.requiredString("key"), "metric");
        Double value = p.doubleValue("value");
        if (value == null) {
            throw MlflowException.invalid("Missing value for required parameter 'value'");
        }
        long ts = p.requiredLong("timestamp");
        Long step = p.longValue("step");
        writer.logBatch(runId, MetricPoints.of(key, value, ts, step == null ? 0 : step), Map.of(), Map.of());
        return MlflowJson.object();
    }

    private ObjectNode logParam(Params p) {
        String runId = p.runId();
        String key = key(p.requiredString("key"), "param");
        writer.logParam(runId, key, value(p.string("value"), "param '" + key + "'", MAX_PARAM_VALUE));
        return MlflowJson.object();
    }

    private ObjectNode setTag(Params p) {
        String runId = p.runId();
        String key = key(p.requiredString("key"), "tag");
        writer.setTag(runId, key, value(p.string("value"), "tag '" + key + "'", MAX_TAG_VALUE));
        return MlflowJson.object();
    }

    private ObjectNode deleteTag(Params p) {
        writer.deleteTag(p.runId(), p.requiredString("key"));
        return MlflowJson.object();
    }

    /** log-inputs: each dataset (name, digest, source) becomes a tag {@code entrenar.input.<name>} holding MLflow's DatasetInput. */
    private ObjectNode logInputs(Params p) {
        String runId = p.runId();
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode input : p.objects("datasets")) {
            JsonNode ds = input.get("dataset");
            if (ds == null || !ds.isObject()) {
                throw MlflowException.invalid("Invalid value for parameter 'datasets': each input needs a 'dataset' object");
            }
            String name = Params.ofJson(ds).requiredString("name");
            Params.ofJson(ds).requiredString("digest");
            String json = MlflowJson.MAPPER.createObjectNode().<ObjectNode>set("tags", input.has("tags") ? input.get("tags")
                    : MlflowJson.MAPPER.createArrayNode()).set("dataset", ds).toString();
            // the tag key only has to be unique and valid; the dataset's own name and digest are in the value
            String tagKey = (MlflowJson.DATASET_TAG_PREFIX + name + "." + Params.ofJson(ds).requiredString("digest"))
                    .replaceAll("[^A-Za-z0-9_.\\- /]", "_").replace("..", "_.");
            tags.put(key(tagKey.length() > MAX_KEY ? tagKey.substring(0, MAX_KEY) : tagKey, "dataset"),
                    value(json, "dataset '" + name + "'", MAX_TAG_VALUE));
        }
        writer.logBatch(runId, new MetricPoints(), Map.of(), tags);
        return MlflowJson.object();
    }

    /** log-model: appended to the run's {@code mlflow.log-model.history} tag, as MLflow's server does. */
    private ObjectNode logModel(Params p) {
        String runId = p.runId();
        String model = p.requiredString("model_json");
        RunRecord r = readRun(runId);
        ArrayNode history;
        try {
            JsonNode before = MlflowJson.MAPPER.readTree(r.tags().getOrDefault("mlflow.log-model.history", "[]"));
            history = before.isArray() ? (ArrayNode) before : MlflowJson.MAPPER.createArrayNode();
            history.add(MlflowJson.MAPPER.readTree(model));
        } catch (JsonProcessingException e) {
            throw MlflowException.invalid("Invalid value for parameter 'model_json': not JSON (" + e.getOriginalMessage() + ")");
        }
        writer.setTag(runId, "mlflow.log-model.history", value(history.toString(), "model history", MAX_TAG_VALUE * 4));
        return MlflowJson.object();
    }

    /**
     * get-history: ClickHouse writes the page's JSON objects; this joins them into MLflow's answer.
     * The run is looked up only when the page is empty (to tell an unknown run from an unlogged metric).
     */
    private HttpReply getHistory(Params p) {
        String runId = p.runId();
        String key = p.requiredString("metric_key");
        RunWriter.Fence fence = writer.fence(runId);
        if (fence != null) {
            awaitLanded(Map.of(runId, fence));
        }
        Long maxResults = p.longValue("max_results");
        int offset = offset(p.string("page_token"));
        long limit = maxResults == null ? Long.MAX_VALUE / 2 : Math.clamp(maxResults, 1, 1_000_000);
        byte[] lines = reader.historyLines(runId, key, offset, maxResults == null ? limit : limit + 1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(lines.length + 64);
        out.writeBytes("{\"metrics\":[".getBytes(StandardCharsets.UTF_8));
        long rows = 0;
        int start = 0;
        for (int i = 0; i < lines.length && rows < limit; i++) {
            if (lines[i] == '\n') {
                if (rows++ > 0) {
                    out.write(',');
                }
                out.write(lines, start, i - start);
                start = i + 1;
            }
        }
        out.write(']');
        boolean more = lines.length > start;
        if (rows == 0 && fence == null && reader.run(runId) == null) {
            throw MlflowException.notFound("Run with id=" + runId + " not found");
        }
        if (maxResults != null && more) {
            out.writeBytes((",\"next_page_token\":\"" + token((int) (offset + limit)) + "\"").getBytes(StandardCharsets.UTF_8));
        }
        out.write('}');
        return HttpReply.json(200, out.toByteArray());
    }

    private ObjectNode listRunArtifacts(Params p) {
        String runId = p.runId();
        RunRecord r = readRun(runId);
        String path = p.string("path");
        String base = r.experimentId() + "/" + runId + "/artifacts";
        String dir = path == null || path.isEmpty() ? base : base + "/" + path;
        ObjectNode out = MlflowJson.object();
        out.put("root_uri", Artifacts.runUri(r.experimentId(), runId));
        ArrayNode files = out.putArray("files");
        for (Artifacts.Entry e : artifacts.list(dir)) {
            ObjectNode f = files.addObject().put("path", path == null || path.isEmpty() ? e.path() : path + "/" + e.path()).put("is_dir", e.dir());
            if (!e.dir()) {
                f.put("file_size", e.size());
            }
        }
        return out;
    }

    private ObjectNode listStore(String path) {
        ObjectNode out = MlflowJson.object();
        ArrayNode files = out.putArray("files");
        for (Artifacts.Entry e : artifacts.list(path == null ? "" : path)) {
            ObjectNode f = files.addObject().put("path", e.path()).put("is_dir", e.dir());
            if (!e.dir()) {
                f.put("file_size", e.size());
            }
        }
        return out;
    }

    /** PUT of an artifact: stored with its sha256 and, when the path names a run, recorded as the run's Artifact event. */
    private HttpReply upload(HttpCall call) throws IOException {
        String path = call.rest();
        String[] parts = path.replaceFirst("^/+", "").split("/", 4);
        boolean ofRun = parts.length == 4 && parts[2].equals("artifacts");
        if (ofRun) {
            readRun(parts[1]);
        }
        Artifacts.Stored stored;
        try (InputStream in = call.bodyStream()) {
            stored = artifacts.put(path, in);
        }
        if (ofRun) {
            writer.artifact(parts[1], parts[3], stored);
        }
        return json(MlflowJson.object());
    }

    // ---- reads ----

    /** The run as ClickHouse shows it once every write this API acknowledged for it has landed. */
    private RunRecord readRun(String runId) {
        RunWriter.Fence fence = writer.fence(runId);
        if (fence != null) {
            awaitLanded(Map.of(runId, fence));
        }
        RunRecord r = reader.run(runId);
        if (r == null) {
            throw MlflowException.notFound("Run with id=" + runId + " not found");
        }
        return r;
    }

    /** What ClickHouse was last seen to hold per run: a fence already covered costs no query. */
    private final Map<String, RunWriter.Fence> observed = new java.util.concurrent.ConcurrentHashMap<>();

    private void awaitLanded(Map<String, RunWriter.Fence> fences) {
        if (fences.isEmpty() || fences.entrySet().stream().allMatch(e -> {
            RunWriter.Fence seen = observed.get(e.getKey());
            return seen != null && e.getValue().coveredBy(seen);
        })) {
            return;
        }
        long deadline = System.nanoTime() + readWait.toNanos();
        Map<String, RunWriter.Fence> waiting = new LinkedHashMap<>(fences);
        while (true) {
            Map<String, RunWriter.Fence> landed = reader.landed(waiting.keySet());
            observed.putAll(landed);
            waiting.entrySet().removeIf(e -> {
                RunWriter.Fence l = landed.get(e.getKey());
                return l != null && e.getValue().coveredBy(l);
            });
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw MlflowException.unavailable("ClickHouse does not yet show every write to run(s) " + waiting.keySet()
                        + " after " + readWait.toMillis() + " ms (is the sink running?); retry");
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MlflowException.unavailable("interrupted while waiting for ClickHouse");
            }
        }
    }

    // ---- fields ----

    static String key(String key, String what) {
        if (key.length() > MAX_KEY) {
            throw MlflowException.invalid("Invalid " + what + " name: '" + key.substring(0, 40) + "...' is longer than " + MAX_KEY);
        }
        if (!KEY.matcher(key).matches() || key.startsWith("/") || key.contains("//") || Set.of(key.split("/")).contains("..")) {
            throw MlflowException.invalid("Invalid " + what + " name: '" + key + "'. Names may only contain alphanumerics, "
                    + "underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).");
        }
        return key;
    }

    static String value(String value, String what, int max) {
        if (value == null) {
            throw MlflowException.invalid("Missing value for " + what);
        }
        if (value.length() > max) {
            throw MlflowException.invalid(what + " is " + value.length() + " characters; the limit is " + max);
        }
        if (value.equals(RunWriter.DELETED_TAG)) {
            throw MlflowException.invalid(what + " is the single character U+0000, which this server uses to mark a deleted tag");
        }
        return value;
    }

    private static Map<String, String> keyValues(Params p, String field, int maxValue) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode n : p.objects(field)) {
            Params kv = Params.ofJson(n);
            String key = key(kv.requiredString("key"), "tag");
            out.put(key, value(kv.string("value"), "tag '" + key + "'", maxValue));
        }
        return out;
    }

    private static String viewType(String v) {
        if (v == null || v.isEmpty()) {
            return "ACTIVE_ONLY";
        }
        return switch (v) {
            case "ACTIVE_ONLY", "DELETED_ONLY", "ALL", "1", "2", "3" -> switch (v) {
                case "1" -> "ACTIVE_ONLY";
                case "2" -> "DELETED_ONLY";
                case "3" -> "ALL";
                default -> v;
            };
            default -> throw MlflowException.invalid("Invalid view type '" + v + "': one of ACTIVE_ONLY, DELETED_ONLY, ALL");
        };
    }

    private static int maxResults(Params p, int dflt, int limit) {
        Long m = p.longValue("max_results");
        if (m == null) {
            return dflt;
        }
        if (m < 1 || m > limit) {
            throw MlflowException.invalid("Invalid value " + m + " for parameter 'max_results' supplied. It must be at most "
                    + limit + ", and at least 1");
        }
        return m.intValue();
    }

    private static String token(int offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            JsonNode t = MlflowJson.MAPPER.readTree(Base64.getDecoder().decode(token));
            if (t.path("offset").canConvertToInt() && t.path("offset").asInt() >= 0) {
                return t.path("offset").asInt();
            }
        } catch (IllegalArgumentException | IOException e) {
            // answered below
        }
        throw MlflowException.invalid("Invalid page token, could not base64-decode");
    }
}
