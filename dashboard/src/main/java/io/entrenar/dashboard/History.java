package io.entrenar.dashboard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;
import io.entrenar.sink.sql.AnalysisQuery;

/**
 * The dashboard's questions to ClickHouse, answered as JSON for the browser. Values are always bound
 * as query parameters. Anything per point goes through {@link AnalysisQuery#METRIC_HISTORY}, which
 * buckets by step in SQL: a page never receives raw points, however long the run.
 */
final class History {
    private final Engine engine;
    private final String db;
    private final int chartPoints;
    private final int runsLimit;

    History(Engine engine, String database, int chartPoints, int runsLimit) {
        this.engine = engine;
        this.db = database;
        this.chartPoints = chartPoints;
        this.runsLimit = runsLimit;
    }

    /** Newest runs first, filtered by experiment (id or name), status and free text over id, name, tags and params. */
    byte[] runs(String experiment, String status, String text, int limit) {
        return json("""
                SELECT run_id, run_name, experiment_id, experiment_name, run_type, sweep_id, status,
                       toUnixTimestamp64Milli(started_at) AS started_ms,
                       if(finished_at > toDateTime64(0, 6, 'UTC'), toUnixTimestamp64Milli(finished_at), NULL) AS finished_ms,
                       duration_micros, total_steps, planned_total_steps, error_code, cost_usd, benchmark, summary,
                       count() OVER () AS matched
                FROM %1$s.runs
                WHERE ({experiment:String} = '' OR experiment_id = {experiment:String} OR experiment_name = {experiment:String})
                  AND ({status:String} = '' OR status = {status:String})
                  AND ({q:String} = '' OR positionCaseInsensitiveUTF8(concat(run_id, ' ', ifNull(run_name, ''), ' ',
                        toString(tags), ' ', toString(params)), {q:String}) > 0)
                  AND run_id NOT IN (SELECT process_run_id FROM %1$s.process_records)
                ORDER BY started_at DESC, run_id
                LIMIT {limit:UInt32}""".formatted(db),
                Map.of("experiment", experiment, "status", status, "q", text,
                        "limit", Integer.toString(Math.clamp(limit, 1, runsLimit))));
    }

    /** Experiments with their run counts, for the filter. */
    byte[] experiments() {
        return json("""
                SELECT ifNull(experiment_id, '') AS experiment_id, any(experiment_name) AS experiment_name, count() AS runs
                FROM %1$s.runs WHERE run_id NOT IN (SELECT process_run_id FROM %1$s.process_records)
                GROUP BY experiment_id ORDER BY experiment_name, experiment_id""".formatted(db), Map.of());
    }

    /** One run with everything the runs view knows. */
    byte[] run(String runId) {
        return json("""
                SELECT *, toUnixTimestamp64Milli(started_at) AS started_ms,
                       if(finished_at > toDateTime64(0, 6, 'UTC'), toUnixTimestamp64Milli(finished_at), NULL) AS finished_ms
                FROM %s.runs WHERE run_id = {run:String}""".formatted(db), Map.of("run", runId));
    }

    /** The process the run trained in (its JVM's record with the agent), bucketed for the run page's charts. */
    byte[] process(String runId) {
        return analysis(AnalysisQuery.RUN_PROCESS, Map.of("run_id", runId, "points", Integer.toString(chartPoints)));
    }

    /** The metrics a run logged, with point counts and the last step. */
    byte[] metricNames(String runId) {
        return json("""
                SELECT name, count() AS points, max(step) AS last_step
                FROM %s.metric_points WHERE run_id = {run:String}
                GROUP BY name ORDER BY name""".formatted(db), Map.of("run", runId));
    }

    /** One metric of several runs, each downsampled to at most {@code points} step buckets, with the runs' names. */
    byte[] history(List<String> runIds, String metric, int points) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("{\"metric\":" + Json.quote(metric) + ",\"runs\":[").getBytes(StandardCharsets.UTF_8));
        String sql = AnalysisQuery.METRIC_HISTORY.sql(db);
        for (int i = 0; i < runIds.size(); i++) {
            Map<String, String> params = AnalysisQuery.METRIC_HISTORY.bind(Map.of("run_id", runIds.get(i), "metric", metric,
                    "points", Integer.toString(Math.clamp(points, 2, chartPoints))));
            out.writeBytes(((i == 0 ? "" : ",") + "{\"run_id\":" + Json.quote(runIds.get(i)) + ",\"history\":")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(json(sql, params));
            out.write('}');
        }
        out.writeBytes("],\"names\":".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(json("SELECT run_id, run_name FROM %s.runs WHERE has({ids:Array(String)}, run_id)".formatted(db),
                Map.of("ids", arrayLiteral(runIds))));
        out.write('}');
        return out.toByteArray();
    }

    byte[] sweeps() {
        return json("""
                SELECT sweep_id, any(experiment_name) AS experiment_name, count() AS runs,
                       countIf(status = 'COMPLETED') AS completed, countIf(status = 'FAILED') AS failed,
                       countIf(status = 'RUNNING') AS running, toUnixTimestamp64Milli(min(started_at)) AS started_ms
                FROM %s.runs WHERE ifNull(sweep_id, '') != ''
                GROUP BY sweep_id ORDER BY started_ms DESC LIMIT 500""".formatted(db), Map.of());
    }

    /** The trials of a sweep with their parameters and final summary metrics. */
    byte[] sweep(String sweepId) {
        return json("""
                SELECT run_id, run_name, status, params, summary, total_steps, duration_micros, cost_usd
                FROM %s.runs WHERE sweep_id = {sweep:String}
                ORDER BY started_at, run_id LIMIT 5000""".formatted(db), Map.of("sweep", sweepId));
    }

    /** Which parameters mattered in a sweep for {@code metric} (the SQL library's sweep_parameter_effects). */
    byte[] sweepEffects(String sweepId, String metric) {
        return analysis(AnalysisQuery.SWEEP_PARAMETER_EFFECTS, Map.of("sweep_id", sweepId, "metric", metric));
    }

    byte[] benchmarks() {
        return json("""
                SELECT benchmark, any(quality_metric) AS quality_metric, count() AS runs
                FROM %s.leaderboard FINAL GROUP BY benchmark ORDER BY benchmark""".formatted(db), Map.of());
    }

    /** The cost/quality frontier of a benchmark (the SQL library's pareto_frontier). */
    byte[] pareto(String benchmark) {
        return analysis(AnalysisQuery.PARETO_FRONTIER, Map.of("benchmark", benchmark));
    }

    /** Error codes of failed runs by count with cumulative share (the SQL library's failure_pareto). */
    byte[] failures(String experimentId) {
        return analysis(AnalysisQuery.FAILURE_PARETO, Map.of("experiment_id", experimentId));
    }

    /** Latest incidents, each with its current state, newest first. */
    byte[] alerts(String runId, int limit) {
        return json("""
                SELECT run_id, incident_id, argMax(state, ts) AS state, any(rule) AS rule, any(severity) AS severity,
                       any(metric) AS metric, max(step) AS step, argMax(message, ts) AS message,
                       any(suggested_action) AS suggested_action, toUnixTimestamp64Milli(min(fired_at)) AS fired_ms,
                       toUnixTimestamp64Milli(max(ts)) AS updated_ms
                FROM %s.alerts FINAL
                WHERE {run:String} = '' OR run_id = {run:String}
                GROUP BY run_id, incident_id
                ORDER BY updated_ms DESC LIMIT {limit:UInt32}""".formatted(db),
                Map.of("run", runId, "limit", Integer.toString(Math.clamp(limit, 1, 1000))));
    }

    /**
     * The lineage around a run: ancestors and descendants (the SQL library's recursive queries),
     * the edges among them and each node's name and status.
     */
    byte[] lineage(String runId) {
        Map<String, Integer> depth = new LinkedHashMap<>();
        depth.put(runId, 0);
        QueryResult up = AnalysisQuery.LINEAGE_ANCESTORS.run(engine, db, Map.of("run_id", runId));
        for (int i = 0; i < up.size(); i++) {
            depth.putIfAbsent(up.get(i, "run_id"), -(int) up.getLong(i, "depth"));
        }
        QueryResult down = AnalysisQuery.LINEAGE_DESCENDANTS.run(engine, db, Map.of("run_id", runId));
        for (int i = 0; i < down.size(); i++) {
            depth.putIfAbsent(down.get(i, "run_id"), (int) down.getLong(i, "depth"));
        }
        String idArray = arrayLiteral(List.copyOf(depth.keySet()));
        StringBuilder out = new StringBuilder("{\"run_id\":").append(Json.quote(runId)).append(",\"depth\":{");
        boolean first = true;
        for (Map.Entry<String, Integer> e : depth.entrySet()) {
            out.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':').append(e.getValue());
            first = false;
        }
        out.append("},\"edges\":");
        out.append(new String(json("""
                SELECT child_run_id, parent_run_id, role FROM %s.lineage_edges FINAL
                WHERE has({ids:Array(String)}, child_run_id) AND has({ids:Array(String)}, parent_run_id)
                ORDER BY child_run_id, parent_run_id, role""".formatted(db), Map.of("ids", idArray)), StandardCharsets.UTF_8));
        out.append(",\"nodes\":");
        out.append(new String(json("""
                SELECT run_id, run_name, status FROM %s.runs WHERE has({ids:Array(String)}, run_id)""".formatted(db),
                Map.of("ids", idArray)), StandardCharsets.UTF_8));
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Cheap round trip for the readiness probe: null when ClickHouse answers. */
    String check() {
        try {
            engine.rows("SELECT 1");
            return null;
        } catch (RuntimeException e) {
            return "ClickHouse does not answer: " + e.getMessage();
        }
    }

    private byte[] analysis(AnalysisQuery query, Map<String, String> params) {
        return json(query.sql(db), query.bind(params));
    }

    /**
     * {@code {"rows":N,"data":[{...},...]}} from ClickHouse's JSONEachRow (one compact object per
     * line; newlines inside values are escaped), with 64-bit integers as numbers (the engines ask
     * for that, see {@code JdbcEngine}): steps and counts stay far below 2^53.
     */
    private byte[] json(String sql, Map<String, String> params) {
        byte[] lines = engine.query(sql, params, "JSONEachRow");
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines.length + 32);
        out.writeBytes("{\"data\":[".getBytes(StandardCharsets.UTF_8));
        int rows = 0;
        int start = 0;
        for (int i = 0; i <= lines.length; i++) {
            if (i == lines.length || lines[i] == '\n') {
                if (i > start) {
                    if (rows++ > 0) {
                        out.write(',');
                    }
                    out.write(lines, start, i - start);
                }
                start = i + 1;
            }
        }
        out.writeBytes(("],\"rows\":" + rows + "}").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A ClickHouse Array(String) literal for a query parameter. */
    static String arrayLiteral(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String v : values) {
            b.append(b.length() > 1 ? "," : "").append('\'').append(v.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
        }
        return b.append(']').toString();
    }
}
