package io.entrenar.cli.view;

import java.time.Instant;
import java.util.Map;

import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;
import io.entrenar.sink.sql.AnalysisQuery;

/** {@code entrenar runs show RUN}: the run's fields, every metric's summary, its failures and artifacts. */
public final class RunDetail {
    private static final String METRICS = """
            SELECT name, count() AS points, argMax(value, step) AS last, minIf(value, isFinite(value)) AS min,
                   maxIf(value, isFinite(value)) AS max, avgIf(value, isFinite(value)) AS mean,
                   countIf(NOT isFinite(value)) AS non_finite, max(step) AS last_step
            FROM %s.metric_points FINAL
            WHERE run_id = {run:String}
            GROUP BY name
            ORDER BY name
            """;
    private static final String FAILURES = """
            SELECT error_code, toString(category) AS category, step, diagnostic, remediation
            FROM %s.failures FINAL WHERE run_id = {run:String} ORDER BY ts
            """;
    private static final String ARTIFACTS = """
            SELECT name, toString(format) AS format, size_bytes, substring(sha256, 1, 16) AS sha256_prefix
            FROM %s.artifacts FINAL WHERE run_id = {run:String} ORDER BY ts, name
            """;

    private RunDetail() {
    }

    /** The detail of {@code runId}; a clear error when the run is unknown. */
    public static String render(Engine engine, String database, String runId, Glyphs g) {
        String db = Database.checked(database);
        RunInfo info = RunInfo.query(engine, db, runId)
                .orElseThrow(() -> new IllegalArgumentException("no run " + runId + " in " + db + ".runs"));
        StringBuilder out = new StringBuilder(fields(info, Instant.now(), g));
        QueryResult m = engine.rows(String.format(METRICS, db), Map.of("run", runId));
        out.append("\nMetrics\n");
        if (m.size() == 0) {
            out.append("  none logged\n");
        } else {
            TextTable t = TextTable.of("Metric", "Points", "Last step", "Last", "Min", "Max", "Mean", "NaN/inf")
                    .alignRight("Points", "Last step", "Last", "Min", "Max", "Mean", "NaN/inf");
            for (int i = 0; i < m.size(); i++) {
                t.row(m.get(i, "name"), m.get(i, "points"), m.get(i, "last_step"), Cells.number(Cells.parseDouble(m.get(i, "last")), 4),
                        Cells.number(Cells.parseDouble(m.get(i, "min")), 4), Cells.number(Cells.parseDouble(m.get(i, "max")), 4),
                        Cells.number(Cells.parseDouble(m.get(i, "mean")), 4), m.get(i, "non_finite"));
            }
            out.append(t.render(g));
        }
        out.append(process(engine, db, runId, g));
        QueryResult f = engine.rows(String.format(FAILURES, db), Map.of("run", runId));
        if (f.size() > 0) {
            out.append("\nFailures\n");
            TextTable t = TextTable.of("Error code", "Category", "Step", "Diagnostic", "Remediation").alignRight("Step");
            for (int i = 0; i < f.size(); i++) {
                t.row(f.get(i, "error_code"), f.get(i, "category"), f.get(i, "step"), Cells.clip(f.get(i, "diagnostic"), 60, g),
                        f.get(i, "remediation") == null ? null : Cells.clip(f.get(i, "remediation"), 50, g));
            }
            out.append(t.render(g));
        }
        QueryResult a = engine.rows(String.format(ARTIFACTS, db), Map.of("run", runId));
        if (a.size() > 0) {
            out.append("\nArtifacts\n");
            TextTable t = TextTable.of("Name", "Format", "Size", "sha256").alignRight("Size");
            for (int i = 0; i < a.size(); i++) {
                t.row(a.get(i, "name"), a.get(i, "format"), Cells.bytes(a.getLong(i, "size_bytes")), a.get(i, "sha256_prefix") + "...");
            }
            out.append(t.render(g));
        }
        return out.toString();
    }

    /** The JVM the run trained in, over the run's life: its own samples or its JVM's process record's. */
    private static String process(Engine engine, String db, String runId, Glyphs g) {
        QueryResult p = AnalysisQuery.RUN_PROCESS.run(engine, db, Map.of("run_id", runId));
        if (p.size() == 0) {
            return "";
        }
        long samples = 0;
        double heap = 0;
        double cpuWeighted = 0;
        double gcMs = 0;
        long gcs = 0;
        long threads = 0;
        for (int i = 0; i < p.size(); i++) {
            long n = p.getLong(i, "samples");
            samples += n;
            heap = Math.max(heap, p.getDouble(i, "heap_used_mb"));
            cpuWeighted += p.getDouble(i, "cpu_pct") * n;
            gcMs += p.getDouble(i, "gc_pause_ms");
            gcs += p.getLong(i, "gc_count");
            threads = Math.max(threads, p.getLong(i, "threads"));
        }
        String host = p.get(0, "process_run_id");
        TextTable t = TextTable.of("Process", "Value");
        t.row("Samples", samples + (host.equals(runId) ? " (the run's own)" : " from the JVM's record " + host));
        t.row("Peak heap used", Cells.number(heap, 1) + " MB");
        t.row("Mean process CPU", Cells.number(cpuWeighted / Math.max(1, samples), 1) + " %");
        t.row("GC", gcs + " collections, " + Cells.number(gcMs, 1) + " ms paused");
        t.row("Peak threads", Long.toString(threads));
        return "\nProcess\n" + t.render(g);
    }

    static String fields(RunInfo r, Instant now, Glyphs g) {
        TextTable t = TextTable.of("Field", "Value");
        t.row("Run ID", r.runId());
        t.row("Name", r.runName());
        t.row("Experiment", r.experiment() + (r.experimentId() == null ? "" : " (" + r.experimentId() + ")"));
        t.row("Type", r.runType());
        t.row("Status", RunsTable.statusMark(r.status(), g) + (r.errorCode() == null ? "" : " (" + r.errorCode() + ")"));
        t.row("Started", r.startedAt() == null ? null : r.startedAt().toString());
        t.row("Duration", Cells.duration(r.elapsed(now)) + (r.finished() ? "" : " so far")
                + (r.plannedDurationSecs() == null ? "" : " (planned " + Cells.duration(java.time.Duration.ofMillis(
                        Math.round(r.plannedDurationSecs() * 1000))) + ")"));
        t.row("Steps", (r.totalSteps() == null ? "-" : r.totalSteps().toString())
                + (r.plannedSteps() == null ? "" : " (planned " + r.plannedSteps() + ")"));
        if (r.device() != null || r.paradigm() != null || r.algorithm() != null) {
            t.row("Model", String.join(" / ", nonNull(r.paradigm()), nonNull(r.algorithm()), nonNull(r.device())));
        }
        if (r.benchmark() != null) {
            t.row("Benchmark", r.benchmark() + (r.dataset() == null ? "" : " on " + r.dataset()));
        }
        if (r.costUsd() != null || r.plannedCostUsd() != null) {
            t.row("Cost", (r.costUsd() == null ? "-" : String.format(java.util.Locale.ROOT, "$%.4f", r.costUsd()))
                    + (r.plannedCostUsd() == null ? "" : String.format(java.util.Locale.ROOT, " (planned $%.4f)", r.plannedCostUsd())));
        }
        if (r.energyKwh() != null) {
            t.row("Energy", Cells.number(r.energyKwh(), 6) + " kWh");
        }
        if (r.golden()) {
            t.row("Golden", g.star() + " promoted (the reference later runs compare with)");
        }
        if (r.goldenBaseline() != null) {
            t.row("Golden baseline", r.goldenBaseline());
        }
        t.row("Params", r.params() == null || r.params().isEmpty() ? null : Cells.clip(r.params(), 100, g));
        t.row("Tags", r.tags() == null || r.tags().isEmpty() ? null : Cells.clip(r.tags(), 100, g));
        return t.render(g);
    }

    private static String nonNull(String s) {
        return s == null ? "-" : s;
    }
}
