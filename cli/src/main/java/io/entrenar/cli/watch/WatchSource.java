package io.entrenar.cli.watch;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrenar.cli.view.AlertsTable;
import io.entrenar.cli.view.Cells;
import io.entrenar.cli.view.RunInfo;
import io.entrenar.sink.engine.ClickHouseException;
import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;

/**
 * Reads one dashboard frame: live metric statistics and histories from the processors' query
 * server (spec 7.1: to_metrics_summary, loss_history(n)); the run, ETA, resources, IO counters and
 * alerts from ClickHouse. When the processors do not answer, the statistics come from ClickHouse
 * and a note on the frame says so.
 */
final class WatchSource implements AutoCloseable {
    private static final String METRICS = """
            SELECT name, count() AS n, avgIf(value, isFinite(value)) AS mean, stddevSampIf(value, isFinite(value)) AS std,
                   argMax(value, step) AS last, max(step) AS last_step, countIf(NOT isFinite(value)) AS non_finite,
                   arrayMap(x -> x.2, arraySlice(arraySort(groupArray((step, value))), -{n:UInt32})) AS recent
            FROM %s.metric_points
            WHERE run_id = {run:String}
            GROUP BY name
            ORDER BY name
            """;
    private static final String ETA = """
            SELECT step, total_steps, predicted_remaining_secs, rate_steps_per_sec
            FROM %s.eta WHERE run_id = {run:String} ORDER BY step DESC, ts DESC LIMIT 1
            """;
    private static final String RESOURCES = """
            SELECT heap_used_bytes, heap_max_bytes, process_cpu_load, gc_count, gc_pause_micros, thread_count, vram_used_mb
            FROM %s.resources WHERE run_id = {run:String} ORDER BY ts DESC LIMIT 1
            """;
    private static final String IO = """
            SELECT toString(category) AS category, toString(operation) AS operation, sum(count) AS count, sum(bytes) AS bytes
            FROM %s.syscalls FINAL WHERE run_id = {run:String}
            GROUP BY category, operation ORDER BY count DESC, operation LIMIT 8
            """;

    private final Engine engine;
    private final String database;
    private final ProcessorsClient processors;

    WatchSource(Engine engine, String database, String processorsUrl) {
        this.engine = engine;
        this.database = database;
        this.processors = new ProcessorsClient(processorsUrl);
    }

    /** A frame of {@code runId} with sparklines of {@code historyPoints} values. */
    Snapshot read(String runId, int historyPoints) throws InterruptedException {
        Instant now = Instant.now();
        List<String> notes = new ArrayList<>();
        Optional<RunInfo> run = RunInfo.query(engine, database, runId);
        if (run.isEmpty()) {
            notes.add("waiting for run " + runId + " to reach ClickHouse ...");
            return new Snapshot(null, false, List.of(), null, null, List.of(), List.of(), now, notes);
        }
        List<Snapshot.MetricView> metrics = liveMetrics(runId, historyPoints, notes);
        if (metrics == null) {
            metrics = storedMetrics(runId, historyPoints);
        }
        long step = metrics.stream().mapToLong(Snapshot.MetricView::lastStep).max().orElse(0);
        Snapshot.Progress progress = progress(runId, step, run.get());
        return new Snapshot(run.get(), run.get().golden(), metrics, progress, resources(runId), io(runId),
                AlertsTable.query(engine, database, runId, false, 5), now, notes);
    }

    private List<Snapshot.MetricView> liveMetrics(String runId, int n, List<String> notes) throws InterruptedException {
        try {
            Map<String, JsonNode> stats = processors.stats(runId);
            List<Snapshot.MetricView> out = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : stats.entrySet()) {
                JsonNode s = e.getValue();
                List<Double> recent = processors.history(runId, e.getKey(), n);
                // The trend is the sparkline's: what the values shown are doing now, not since the start.
                out.add(new Snapshot.MetricView(e.getKey(), s.path("count").asLong(), ProcessorsClient.number(s.get("mean")),
                        ProcessorsClient.number(s.get("std")), Trend.slope(recent), ProcessorsClient.number(s.get("last")),
                        s.path("last_step").asLong(), s.path("non_finite_count").asLong(), recent));
            }
            if (out.isEmpty()) {
                // Finished runs age out of the processors' stores; ClickHouse keeps them.
                return null;
            }
            return out;
        } catch (IOException e) {
            notes.add("processors' query server: " + e.getMessage() + "; statistics from ClickHouse");
            return null;
        }
    }

    private List<Snapshot.MetricView> storedMetrics(String runId, int n) {
        QueryResult q = engine.rows(String.format(METRICS, database), Map.of("run", runId, "n", Integer.toString(n)));
        List<Snapshot.MetricView> out = new ArrayList<>();
        for (int i = 0; i < q.size(); i++) {
            List<Double> recent = parseArray(q.get(i, "recent"));
            out.add(new Snapshot.MetricView(q.get(i, "name"), q.getLong(i, "n"), q.getDouble(i, "mean"), q.getDouble(i, "std"),
                    Trend.slope(recent), q.getDouble(i, "last"), q.getLong(i, "last_step"), q.getLong(i, "non_finite"), recent));
        }
        return out;
    }

    private Snapshot.Progress progress(String runId, long step, RunInfo run) {
        QueryResult q = engine.rows(String.format(ETA, database), Map.of("run", runId));
        Long etaTotal = q.size() == 0 ? null : parseLong(q.get(0, "total_steps"));
        long done = Math.max(step, q.size() == 0 ? 0 : q.getLong(0, "step"));
        Long total = run.plannedSteps() != null ? run.plannedSteps() : etaTotal;
        if (total == null && run.finished() && run.totalSteps() != null) {
            total = run.totalSteps();
            done = Math.max(done, total);
        }
        return q.size() == 0 ? new Snapshot.Progress(done, total, null, null)
                : new Snapshot.Progress(done, total, Cells.parseDouble(q.get(0, "predicted_remaining_secs")),
                        Cells.parseDouble(q.get(0, "rate_steps_per_sec")));
    }

    private Snapshot.Resources resources(String runId) {
        QueryResult q = engine.rows(String.format(RESOURCES, database), Map.of("run", runId));
        if (q.size() == 0) {
            return null;
        }
        return new Snapshot.Resources(parseLong(q.get(0, "heap_used_bytes")), parseLong(q.get(0, "heap_max_bytes")),
                Cells.parseDouble(q.get(0, "process_cpu_load")), parseLong(q.get(0, "gc_count")), parseLong(q.get(0, "gc_pause_micros")),
                q.get(0, "thread_count") == null ? null : Integer.valueOf(q.get(0, "thread_count")), Cells.parseDouble(q.get(0, "vram_used_mb")));
    }

    private List<Snapshot.IoCount> io(String runId) {
        QueryResult q = engine.rows(String.format(IO, database), Map.of("run", runId));
        List<Snapshot.IoCount> out = new ArrayList<>();
        for (int i = 0; i < q.size(); i++) {
            out.add(new Snapshot.IoCount(q.get(i, "category"), q.get(i, "operation"), q.getLong(i, "count"), q.getLong(i, "bytes")));
        }
        return out;
    }

    /** ClickHouse's text of an Array(Float64): {@code [1,0.5,nan]}. */
    static List<Double> parseArray(String text) {
        List<Double> out = new ArrayList<>();
        String inner = text == null ? "" : text.strip();
        if (inner.length() < 2) {
            return out;
        }
        inner = inner.substring(1, inner.length() - 1);
        if (inner.isBlank()) {
            return out;
        }
        for (String v : inner.split(",")) {
            out.add(Cells.parseDouble(v.strip()));
        }
        return out;
    }

    private static Long parseLong(String v) {
        return v == null ? null : Long.parseLong(v);
    }

    /** What went wrong reading a frame, for the note the loop draws instead of dying (e.g. while the stack restarts). */
    static String describe(RuntimeException e) {
        return e instanceof ClickHouseException c ? "ClickHouse: " + c.getMessage() : e.toString();
    }

    @Override
    public void close() {
        processors.close();
    }
}
