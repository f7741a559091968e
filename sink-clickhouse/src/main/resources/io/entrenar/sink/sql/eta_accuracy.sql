-- ETA accuracy (spec 17): for every finished run, how far the Kalman ETA's predicted total
-- duration was from the actual one, over all estimates and over the first half of the run.
-- An estimate's predicted total is the one it states (the first confident prediction), else the
-- time since the run started plus its predicted remaining time. The closing record (remaining 0,
-- no stated prediction) is no estimate. The actual duration is the ETA's own final actual, else
-- the run's recorded duration.
WITH actual AS (
    SELECT e.run_id AS run_id,
           coalesce(max(e.actual_total_secs), any(r.duration_micros) / 1e6) AS secs,
           max(e.step) AS last_step,
           any(r.started_at) AS started_at
    FROM ${db}.eta AS e FINAL
    INNER JOIN ${db}.runs AS r ON r.run_id = e.run_id
    GROUP BY e.run_id
),
estimates AS (
    SELECT e.run_id AS run_id, e.step AS step, e.total_steps AS total_steps,
           coalesce(e.predicted_total_secs,
                    (toUnixTimestamp64Micro(e.ts) - toUnixTimestamp64Micro(a.started_at)) / 1e6 + e.predicted_remaining_secs) AS predicted,
           a.secs AS secs, a.last_step AS last_step
    FROM ${db}.eta AS e FINAL
    INNER JOIN actual AS a ON a.run_id = e.run_id
    WHERE NOT (e.finished AND e.predicted_total_secs IS NULL)
)
SELECT
    run_id,
    count() AS estimates,
    argMax(predicted, step) AS final_predicted_secs,
    any(secs) AS actual_secs,
    avg(abs(predicted - secs) / secs) * 100 AS mean_abs_error_pct,
    avgIf(abs(predicted - secs) / secs, step * 2 <= ifNull(total_steps, last_step)) * 100 AS early_mean_abs_error_pct
FROM estimates
WHERE predicted IS NOT NULL AND secs > 0
GROUP BY run_id
ORDER BY mean_abs_error_pct, run_id
