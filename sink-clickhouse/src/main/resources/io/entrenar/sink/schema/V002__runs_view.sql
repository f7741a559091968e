-- The latest state of every run, folded from its lifecycle events at query time. argMax over
-- (lamport, ts) picks the causally latest value and is unaffected by re-delivered duplicates.
CREATE VIEW IF NOT EXISTS ${db}.runs AS
SELECT
    run_id,
    argMaxIf(run_name, (lamport, ts), kind = 'started') AS run_name,
    argMaxIf(experiment_id, (lamport, ts), kind = 'started') AS experiment_id,
    argMaxIf(experiment_name, (lamport, ts), kind = 'started') AS experiment_name,
    argMaxIf(run_type, (lamport, ts), kind = 'started') AS run_type,
    argMaxIf(sweep_id, (lamport, ts), kind = 'started') AS sweep_id,
    argMaxIf(session_id, (lamport, ts), kind = 'started') AS session_id,
    argMaxIf(params, (lamport, ts), kind = 'started') AS params,
    argMaxIf(tags, (lamport, ts), kind = 'started') AS tags,
    argMaxIf(device_type, (lamport, ts), kind = 'started') AS device_type,
    argMaxIf(paradigm, (lamport, ts), kind = 'started') AS paradigm,
    argMaxIf(algorithm, (lamport, ts), kind = 'started') AS algorithm,
    argMaxIf(benchmark, (lamport, ts), kind = 'started') AS benchmark,
    argMaxIf(dataset, (lamport, ts), kind = 'started') AS dataset,
    argMaxIf(quality_metric, (lamport, ts), kind = 'started') AS quality_metric,
    argMaxIf(planned_total_steps, (lamport, ts), kind = 'started') AS planned_total_steps,
    argMaxIf(status, (lamport, ts), status IS NOT NULL) AS status,
    minIf(ts, kind = 'started') AS started_at,
    maxIf(ts, kind = 'finished') AS finished_at,
    argMaxIf(duration_micros, (lamport, ts), kind = 'finished') AS duration_micros,
    argMaxIf(total_steps, (lamport, ts), kind = 'finished') AS total_steps,
    argMaxIf(summary, (lamport, ts), kind = 'finished') AS summary,
    argMaxIf(error_code, (lamport, ts), kind = 'finished') AS error_code,
    argMaxIf(cost_usd, (lamport, ts), kind = 'finished') AS cost_usd,
    argMaxIf(energy_kwh, (lamport, ts), kind = 'finished') AS energy_kwh,
    max(ts) AS updated_at
FROM ${db}.run_events
GROUP BY run_id;
