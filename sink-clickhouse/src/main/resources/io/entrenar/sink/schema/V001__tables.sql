-- Entrenar tables. ${db} is the configured database. Every table keeps event_id, the envelope's
-- UUID, in its sorting key: ReplacingMergeTree collapses a re-delivered event into one row on
-- merge, and the analysis queries read with FINAL (or argMax over the key) where counts must be
-- exact before the merge happens.

-- Run lifecycle, one row per RunEvent (started / status / annotated / finished); fields that an
-- event kind does not carry are NULL. The runs view folds them into the latest state per run.
CREATE TABLE IF NOT EXISTS ${db}.run_events
(
    event_id String,
    run_id String,
    ts DateTime64(6, 'UTC'),
    lamport Int64,
    kind LowCardinality(String),
    run_name Nullable(String),
    experiment_id Nullable(String),
    experiment_name Nullable(String),
    run_type LowCardinality(Nullable(String)),
    sweep_id Nullable(String),
    trial_index Nullable(Int32),
    session_id Nullable(String),
    golden_baseline_run_id Nullable(String),
    params Map(String, String),
    tags Map(String, String),
    host Nullable(String),
    git_commit Nullable(String),
    device_type LowCardinality(Nullable(String)),
    device_model Nullable(String),
    paradigm LowCardinality(Nullable(String)),
    algorithm Nullable(String),
    benchmark Nullable(String),
    dataset Nullable(String),
    task Nullable(String),
    quality_metric Nullable(String),
    higher_is_better Nullable(Bool),
    platform_kind LowCardinality(Nullable(String)),
    hourly_rate_usd Nullable(Float64),
    planned_total_steps Nullable(Int64),
    planned_duration_secs Nullable(Float64),
    planned_cost_usd Nullable(Float64),
    status LowCardinality(Nullable(String)),
    reason Nullable(String),
    warnings Array(String),
    duration_micros Nullable(Int64),
    total_steps Nullable(Int64),
    summary Map(String, Float64),
    error_code Nullable(String),
    energy_kwh Nullable(Float64),
    carbon_grams Nullable(Float64),
    cost_usd Nullable(Float64),
    latency_p50_ms Nullable(Float64)
)
ENGINE = ReplacingMergeTree
ORDER BY (run_id, event_id);

-- Metric points, exploded from the columnar MetricBatch: point idx of batch event_id.
CREATE TABLE IF NOT EXISTS ${db}.metric_points
(
    run_id String,
    name LowCardinality(String),
    step Int64,
    value Float64,
    ts DateTime64(6, 'UTC'),
    event_id String,
    idx UInt32
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (run_id, name, step, event_id, idx);

CREATE TABLE IF NOT EXISTS ${db}.metric_stats
(
    event_id String,
    run_id String,
    ts DateTime64(6, 'UTC'),
    lamport Int64,
    metric LowCardinality(String),
    window_kind LowCardinality(String),
    window_start DateTime64(6, 'UTC'),
    window_end DateTime64(6, 'UTC'),
    count Int64,
    mean Float64,
    variance Float64,
    min Float64,
    max Float64,
    last Float64,
    last_step Int64,
    ewma Float64,
    trend_slope Nullable(Float64),
    non_finite_count Int64
)
ENGINE = ReplacingMergeTree
ORDER BY (run_id, metric, window_kind, window_start, event_id);

CREATE TABLE IF NOT EXISTS ${db}.spans
(
    event_id String,
    run_id String,
    ts DateTime64(6, 'UTC'),
    trace_id String,
    span_id String,
    parent_span_id Nullable(String),
    name LowCardinality(String),
    kind LowCardinality(String),
    started_at DateTime64(6, 'UTC'),
    ended_at DateTime64(6, 'UTC'),
    status LowCardinality(String),
    status_message Nullable(String),
    step Nullable(Int64),
    attributes Map(String, String)
)
ENGINE = ReplacingMergeTree
ORDER BY (run_id, trace_id, span_id, event_id);

-- One row per (SyscallAggregate, entry): the step range lets queries join IO with metrics.
CREATE TABLE IF NOT EXISTS ${db}.syscalls
(
    event_id String,
    idx UInt32,
    run_id String,
    ts DateTime64(6, 'UTC'),
    interval_start DateTime64(6, 'UTC'),
    interval_end DateTime64(6, 'UTC'),
    first_step Nullable(Int64),
    last_step Nullable(Int64),
    category LowCardinality(String),
    operation LowCardinality(String),
    target Nullable(String),
    count Int64,
    bytes Int64,
    total_duration_micros Int64,
    max_duration_micros Int64
)
ENGINE = ReplacingMergeTree
ORDER BY (run_id, interval_start, event_id, idx);

CREATE TABLE IF NOT EXISTS ${db}.resources
(
    event_id String,
    run_id String,
    ts DateTime64(6, 'UTC'),
    step Nullable(Int64),
    process_cpu_load Float64,
    machine_cpu_load Float64,
    heap_used_bytes Int64,
    heap_committed_bytes Int64,
    heap_max_bytes Int64,
    non_heap_used_bytes Int64,
    rss_bytes Nullable(Int64),
    thread_count Int32,
    gc_count Int64,
    gc_pause_micros Int64,
    allocation_rate_bytes_per_sec Nullable(Float64),
    power_watts Nullable(Float64),
    energy_joules Nullable(Float64),
    gpu_utilization_pct Nullable(Float64),
    vram_used_mb Nullable(Float64)
)
ENGINE = ReplacingMergeTree
ORDER BY (run_id, ts, event_id);

CREATE TABLE IF NOT EXISTS ${db}.failures
(
    event_id String,
    run_id String,
    ts DateTime64(6, 'UTC'),
    lamport Int64,
    error_code LowCardinality(String),
    category LowCardinality(String),
    diagnostic String,
    remediation Nullable(String),
    exception_class Nullable(String),
    stack_trace Nullable(String),
    step Nullable(Int64),
    epoch Nullable(Int32),
    related_runs Array(String),
    context Map(String, String)
)
ENGINE = ReplacingMergeTree
ORDER BY (error_code, run_id, event_id);

CREATE TABLE IF NOT EXISTS ${db}.artifacts
(
    event_id String,
    run_id String,
    ts DateTime64(6, 'UTC'),
    name String,
    kind LowCardinality(String),
    format LowCardinality(String),
    sha256 String,
    size_bytes Int64,
    uri String,
    step Nullable(Int64),
    unsafe_signed_by Nullable(String),
    metadata Map(String, String)
)
ENGINE = ReplacingMergeTree
ORDER BY (run_id, name, event_id);

-- Lineage DAG edges (child <- parent, role), from RunStarted.lineage. The edge itself is the key:
-- the same edge delivered twice is one edge.
CREATE TABLE IF NOT EXISTS ${db}.lineage_edges
(
    child_run_id String,
    parent_run_id String,
    role LowCardinality(String),
    parent_lamport Nullable(Int64),
    lineage_type Nullable(String),
    ts DateTime64(6, 'UTC'),
    event_id String
)
ENGINE = ReplacingMergeTree
ORDER BY (child_run_id, parent_run_id, role);

CREATE TABLE IF NOT EXISTS ${db}.alerts
(
    event_id String,
    run_id String,
    ts DateTime64(6, 'UTC'),
    incident_id String,
    state LowCardinality(String),
    rule LowCardinality(String),
    severity LowCardinality(String),
    metric Nullable(String),
    step Nullable(Int64),
    message String,
    suggested_action Nullable(String),
    action LowCardinality(String),
    evidence Map(String, String),
    experiment_id Nullable(String),
    tags Map(String, String),
    fired_at DateTime64(6, 'UTC'),
    resolved_at Nullable(DateTime64(6, 'UTC'))
)
ENGINE = ReplacingMergeTree
ORDER BY (run_id, incident_id, state, event_id);

CREATE TABLE IF NOT EXISTS ${db}.eta
(
    event_id String,
    run_id String,
    ts DateTime64(6, 'UTC'),
    step Int64,
    total_steps Nullable(Int64),
    rate_steps_per_sec Float64,
    predicted_remaining_secs Nullable(Float64),
    uncertainty_secs Nullable(Float64),
    kalman_gain Float64,
    estimate_error Float64,
    finished Bool,
    predicted_total_secs Nullable(Float64),
    actual_total_secs Nullable(Float64),
    error_pct Nullable(Float64)
)
ENGINE = ReplacingMergeTree
ORDER BY (run_id, step, event_id);

-- The latest entry per (benchmark, run): the topic is compacted the same way. ts is the version.
CREATE TABLE IF NOT EXISTS ${db}.leaderboard
(
    event_id String,
    run_id String,
    ts DateTime64(6, 'UTC'),
    benchmark LowCardinality(String),
    dataset LowCardinality(String),
    task LowCardinality(String),
    model String,
    paradigm Nullable(String),
    device Nullable(String),
    quality_metric LowCardinality(String),
    quality Float64,
    cost_usd Nullable(Float64),
    energy_kwh Nullable(Float64),
    latency_p50_ms Nullable(Float64),
    rank Int32,
    efficiency_score Nullable(Float64),
    pareto_optimal Bool,
    dominated_by Array(String),
    best_for_budget Bool,
    cheapest_for_quality Bool,
    budget_usd Nullable(Float64),
    quality_target Nullable(Float64)
)
ENGINE = ReplacingMergeTree(ts)
ORDER BY (benchmark, run_id);

-- Code quality, complexity and dependency audit of the code a run trained with (spec 15, 19).
CREATE TABLE IF NOT EXISTS ${db}.code_quality
(
    event_id String,
    run_id String,
    ts DateTime64(6, 'UTC'),
    grade Nullable(String),
    mutation_score Nullable(Float64),
    test_coverage Nullable(Float64),
    tdg_score Nullable(Float64),
    lint_warnings Nullable(Int32),
    quality_gate_passed Nullable(Bool),
    blocking_issues Array(String),
    tool Nullable(String),
    avg_cognitive_complexity Nullable(Float64),
    max_cognitive_complexity Nullable(Int32),
    functions_over_limit Nullable(Int32),
    cyclomatic_complexity Nullable(Float64),
    maintainability_score Nullable(Float64),
    vulnerability_count Nullable(Int32),
    unmaintained_count Nullable(Int32),
    license_violations Array(String),
    audit_safe Nullable(Bool)
)
ENGINE = ReplacingMergeTree
ORDER BY (run_id, event_id);

-- Supply chain: one row per external asset a run used (spec 18).
CREATE TABLE IF NOT EXISTS ${db}.supply_chain
(
    event_id String,
    idx UInt32,
    run_id String,
    ts DateTime64(6, 'UTC'),
    policy LowCardinality(String),
    source String,
    revision Nullable(String),
    content_hash String,
    verified Bool,
    verification_source Nullable(String),
    unverified_count Int32
)
ENGINE = ReplacingMergeTree
ORDER BY (run_id, source, event_id, idx);
