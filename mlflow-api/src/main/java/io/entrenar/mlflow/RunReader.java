package io.entrenar.mlflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.entrenar.sink.engine.Engine;

/**
 * The API's reads, answered by ClickHouse through its read-only HTTP path: runs with their latest
 * metrics, params and tags (folded from every lifecycle event by the {@code runs} view), and a
 * metric's history. Doubles travel as text ({@code toString}) so that NaN and infinities survive
 * the JSON between ClickHouse and here.
 */
final class RunReader {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Engine engine;
    private final String db;

    RunReader(Engine engine, String database) {
        this.engine = engine;
        this.db = database;
    }

    /** One run, or null when ClickHouse has never seen it. */
    RunRecord run(String runId) {
        List<RunRecord> runs = runs("run_id = {run:String}", Map.of("run", runId));
        return runs.isEmpty() ? null : runs.getFirst();
    }

    /** Every run of these experiments (the agent's JVM process records left out), newest first. */
    List<RunRecord> runsOf(List<String> experimentIds) {
        return runs("experiment_id IN {experiments:Array(String)} AND run_id NOT IN (SELECT process_run_id FROM "
                + db + ".process_records)", Map.of("experiments", arrayLiteral(experimentIds)));
    }

    /** Experiments that runs name (Java jobs create theirs without this API), with their names. */
    Map<String, String> experimentsOfRuns() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode row : rows("SELECT experiment_id AS id, any(experiment_name) AS name FROM " + db + ".runs "
                + "WHERE experiment_id IS NOT NULL AND run_id NOT IN (SELECT process_run_id FROM " + db + ".process_records) "
                + "GROUP BY experiment_id ORDER BY min(started_at)", Map.of())) {
            if (!row.path("name").isNull()) {
                out.put(row.path("id").asText(), row.path("name").asText());
            }
        }
        return out;
    }

    private List<RunRecord> runs(String where, Map<String, String> params) {
        List<JsonNode> rows = rows("""
                SELECT run_id, run_name, experiment_id, status,
                       toUnixTimestamp64Milli(started_at) AS start_ms,
                       if(finished_at > toDateTime64(0, 6, 'UTC'), toUnixTimestamp64Milli(finished_at), NULL) AS end_ms,
                       params, tags
                FROM %s.runs WHERE %s
                ORDER BY started_at DESC, run_id""".formatted(db, where), params);
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> ids = rows.stream().map(r -> r.path("run_id").asText()).toList();
        Map<String, List<RunRecord.LatestMetric>> latest = latestMetrics(ids);
        List<RunRecord> out = new ArrayList<>(rows.size());
        for (JsonNode r : rows) {
            String id = r.path("run_id").asText();
            Map<String, String> tags = map(r.path("tags"));
            boolean finished = !r.path("end_ms").isNull() && isTerminal(r.path("status").asText());
            out.add(new RunRecord(id, r.path("run_name").isNull() ? null : r.path("run_name").asText(),
                    r.path("experiment_id").asText(""), RunRecord.mlflowStatus(r.path("status").isNull() ? null : r.path("status").asText()),
                    r.path("start_ms").asLong(), finished ? r.path("end_ms").asLong() : null,
                    tags.getOrDefault(RunRecord.LIFECYCLE_TAG, "active"), latest.getOrDefault(id, List.of()),
                    map(r.path("params")), RunRecord.withoutInternal(tags)));
        }
        return out;
    }

    private static boolean isTerminal(String status) {
        return switch (status) {
            case "COMPLETED", "FAILED", "STOPPED", "UNSAFE" -> true;
            default -> false;
        };
    }

    private Map<String, List<RunRecord.LatestMetric>> latestMetrics(List<String> runIds) {
        Map<String, List<RunRecord.LatestMetric>> out = new HashMap<>();
        for (JsonNode r : rows("""
                SELECT run_id, name, toString(argMax(value, (step, ts))) AS last_value,
                       toUnixTimestamp64Milli(argMax(ts, (step, ts))) AS last_ms, max(step) AS last_step
                FROM %s.metric_points WHERE run_id IN {runs:Array(String)}
                GROUP BY run_id, name ORDER BY run_id, name""".formatted(db), Map.of("runs", arrayLiteral(runIds)))) {
            out.computeIfAbsent(r.path("run_id").asText(), k -> new ArrayList<>()).add(new RunRecord.LatestMetric(
                    r.path("name").asText(), Params.parseDouble("value", r.path("last_value").asText()), r.path("last_ms").asLong(),
                    r.path("last_step").asLong()));
        }
        return out;
    }

    /**
     * One page of a metric's history as MLflow's JSON objects, one per line, written by ClickHouse
     * itself ({@code TSVRaw} of a concatenation): a 100,000-point history is never parsed into
     * objects and written again here. NaN and infinities become MLflow's strings.
     */
    byte[] historyLines(String runId, String key, long offset, long limit) {
        return engine.query("""
                SELECT concat('{"key":', {name_json:String}, ',"value":',
                       if(isFinite(value), toString(value), if(isNaN(value), '"NaN"', if(value > 0, '"Infinity"', '"-Infinity"'))),
                       ',"timestamp":', toString(toUnixTimestamp64Milli(ts)), ',"step":', toString(step), '}')
                FROM %s.metric_points FINAL WHERE run_id = {run:String} AND name = {name:String}
                ORDER BY step, ts, event_id, idx LIMIT {limit:UInt64} OFFSET {offset:UInt64}""".formatted(db),
                Map.of("run", runId, "name", key, "name_json", MlflowJson.quote(key), "limit", Long.toString(limit),
                        "offset", Long.toString(offset)), "TSVRaw");
    }

    /** How many lifecycle events, metric points and artifacts of each run ClickHouse holds (for read-your-writes). */
    Map<String, RunWriter.Fence> landed(java.util.Collection<String> runIds) {
        Map<String, RunWriter.Fence> out = new HashMap<>();
        for (JsonNode r : rows("""
                SELECT run_id, sum(events) AS events, sum(points) AS points, sum(artifacts) AS artifacts FROM (
                    SELECT run_id, count() AS events, 0 AS points, 0 AS artifacts FROM %1$s.run_events
                    WHERE run_id IN {runs:Array(String)} GROUP BY run_id
                    UNION ALL SELECT run_id, 0, count(), 0 FROM %1$s.metric_points WHERE run_id IN {runs:Array(String)} GROUP BY run_id
                    UNION ALL SELECT run_id, 0, 0, count() FROM %1$s.artifacts WHERE run_id IN {runs:Array(String)} GROUP BY run_id)
                GROUP BY run_id""".formatted(db), Map.of("runs", arrayLiteral(List.copyOf(runIds))))) {
            out.put(r.path("run_id").asText(), new RunWriter.Fence(r.path("events").asLong(), r.path("points").asLong(),
                    r.path("artifacts").asLong()));
        }
        return out;
    }

    /** The highest Lamport timestamp among the run's lifecycle events (0 when none). */
    long maxLamport(String runId) {
        return rows("SELECT max(lamport) AS l FROM " + db + ".run_events WHERE run_id = {run:String}", Map.of("run", runId))
                .getFirst().path("l").asLong();
    }

    /** Whether ClickHouse answers (readiness). */
    void check() {
        rows("SELECT 1 AS ok", Map.of());
    }

    private List<JsonNode> rows(String sql, Map<String, String> params) {
        byte[] out = engine.query(sql, params, "JSONEachRow");
        List<JsonNode> rows = new ArrayList<>();
        try (var it = JSON.readerFor(JsonNode.class).<JsonNode>readValues(out)) {
            while (it.hasNext()) {
                rows.add(it.next());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ClickHouse answered what is not JSONEachRow", e);
        }
        return rows;
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }


    /** A ClickHouse Array(String) literal for a query parameter: ['a','b'] with quotes and backslashes escaped. */
    static String arrayLiteral(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('\'').append(values.get(i).replace("\\", "\\\\").replace("'", "\\'")).append('\'');
        }
        return b.append(']').toString();
    }
}
