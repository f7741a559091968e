-- Tags and params set after a run started (RunAnnotated: an MLflow client's set-tag and log-param,
-- a promotion, a review tag) are part of the run: the runs view folds every lifecycle event's tags
-- and params in causal order (lamport, ts), the latest value of a key winning. A tag whose latest
-- value is the single character U+0000 was deleted (MLflow's delete-tag) and is left out.
CREATE OR REPLACE VIEW ${db}.runs AS
SELECT
    run_id,
    argMaxIf(run_name, (lamport, ts), kind = 'started') AS run_name,
    argMaxIf(experiment_id, (lamport, ts), kind = 'started') AS experiment_id,
    argMaxIf(experiment_name, (lamport, ts), kind = 'started') AS experiment_name,
    argMaxIf(run_type, (lamport, ts), kind = 'started') AS run_type,
    argMaxIf(sweep_id, (lamport, ts), kind = 'started') AS sweep_id,
    argMaxIf(session_id, (lamport, ts), kind = 'started') AS session_id,
    arrayFold((acc, m) -> mapUpdate(acc, m), arrayMap(e -> e.3, arraySort(e -> (e.1, e.2), groupArray((lamport, ts, params)))),
              CAST(map(), 'Map(String, String)')) AS params,
    mapFilter((k, v) -> v != char(0), arrayFold((acc, m) -> mapUpdate(acc, m),
              arrayMap(e -> e.3, arraySort(e -> (e.1, e.2), groupArray((lamport, ts, tags)))),
              CAST(map(), 'Map(String, String)'))) AS tags,
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
