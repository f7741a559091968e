package io.entrenar.sink.write;

import java.util.List;

/** The tables the sink writes, with their columns in RowBinary order (as in V001__tables.sql). */
public enum SinkTable {
    RUN_EVENTS("run_events", "event_id", "run_id", "ts", "lamport", "kind", "run_name", "experiment_id",
            "experiment_name", "run_type", "sweep_id", "trial_index", "session_id", "golden_baseline_run_id",
            "params", "tags", "host", "git_commit", "device_type", "device_model", "paradigm", "algorithm",
            "benchmark", "dataset", "task", "quality_metric", "higher_is_better", "platform_kind",
            "hourly_rate_usd", "planned_total_steps", "planned_duration_secs", "planned_cost_usd", "status",
            "reason", "warnings", "duration_micros", "total_steps", "summary", "error_code", "energy_kwh",
            "carbon_grams", "cost_usd", "latency_p50_ms"),
    METRIC_POINTS("metric_points", "run_id", "name", "step", "value", "ts", "event_id", "idx"),
    METRIC_STATS("metric_stats", "event_id", "run_id", "ts", "lamport", "metric", "window_kind", "window_start",
            "window_end", "count", "mean", "variance", "min", "max", "last", "last_step", "ewma", "trend_slope",
            "non_finite_count"),
    SPANS("spans", "event_id", "run_id", "ts", "trace_id", "span_id", "parent_span_id", "name", "kind",
            "started_at", "ended_at", "status", "status_message", "step", "attributes"),
    SYSCALLS("syscalls", "event_id", "idx", "run_id", "ts", "interval_start", "interval_end", "first_step",
            "last_step", "category", "operation", "target", "count", "bytes", "total_duration_micros",
            "max_duration_micros"),
    RESOURCES("resources", "event_id", "run_id", "ts", "step", "process_cpu_load", "machine_cpu_load",
            "heap_used_bytes", "heap_committed_bytes", "heap_max_bytes", "non_heap_used_bytes", "rss_bytes",
            "thread_count", "gc_count", "gc_pause_micros", "allocation_rate_bytes_per_sec", "power_watts",
            "energy_joules", "gpu_utilization_pct", "vram_used_mb"),
    FAILURES("failures", "event_id", "run_id", "ts", "lamport", "error_code", "category", "diagnostic",
            "remediation", "exception_class", "stack_trace", "step", "epoch", "related_runs", "context"),
    ARTIFACTS("artifacts", "event_id", "run_id", "ts", "name", "kind", "format", "sha256", "size_bytes", "uri",
            "step", "unsafe_signed_by", "metadata"),
    LINEAGE_EDGES("lineage_edges", "child_run_id", "parent_run_id", "role", "parent_lamport", "lineage_type",
            "ts", "event_id"),
    ALERTS("alerts", "event_id", "run_id", "ts", "incident_id", "state", "rule", "severity", "metric", "step",
            "message", "suggested_action", "action", "evidence", "experiment_id", "tags", "fired_at",
            "resolved_at"),
    ETA("eta", "event_id", "run_id", "ts", "step", "total_steps", "rate_steps_per_sec",
            "predicted_remaining_secs", "uncertainty_secs", "kalman_gain", "estimate_error", "finished",
            "predicted_total_secs", "actual_total_secs", "error_pct"),
    LEADERBOARD("leaderboard", "event_id", "run_id", "ts", "benchmark", "dataset", "task", "model", "paradigm",
            "device", "quality_metric", "quality", "cost_usd", "energy_kwh", "latency_p50_ms", "rank",
            "efficiency_score", "pareto_optimal", "dominated_by", "best_for_budget", "cheapest_for_quality",
            "budget_usd", "quality_target"),
    CODE_QUALITY("code_quality", "event_id", "run_id", "ts", "grade", "mutation_score", "test_coverage",
            "tdg_score", "lint_warnings", "quality_gate_passed", "blocking_issues", "tool",
            "avg_cognitive_complexity", "max_cognitive_complexity", "functions_over_limit",
            "cyclomatic_complexity", "maintainability_score", "vulnerability_count", "unmaintained_count",
            "license_violations", "audit_safe"),
    SUPPLY_CHAIN("supply_chain", "event_id", "idx", "run_id", "ts", "policy", "source", "revision",
            "content_hash", "verified", "verification_source", "unverified_count");

    /** ClickHouse types of METRIC_POINTS' columns, for its Native files (name converts to LowCardinality). */
    static final List<String> METRIC_POINTS_TYPES = List.of("String", "String", "Int64", "Float64",
            "DateTime64(6, 'UTC')", "String", "UInt32");

    private final String table;
    private final List<String> columns;

    SinkTable(String table, String... columns) {
        this.table = table;
        this.columns = List.of(columns);
    }

    public String tableName() {
        return table;
    }

    public List<String> columns() {
        return columns;
    }
}
