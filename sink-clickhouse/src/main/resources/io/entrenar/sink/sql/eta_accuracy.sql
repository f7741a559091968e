-- ETA accuracy (spec 17): for every finished run, how far the Kalman ETA's predicted total
-- duration was from the actual one, over all estimates and over the first half of the run.
-- The actual duration is the ETA's own final actual, else the run's recorded duration.
WITH actual AS (
    SELECT e.run_id AS run_id,
           coalesce(max(e.actual_total_secs), any(r.duration_micros) / 1e6) AS secs,
           max(e.step) AS last_step
    FROM ${db}.eta AS e FINAL
    INNER JOIN ${db}.runs AS r ON r.run_id = e.run_id
    GROUP BY e.run_id
)
SELECT
    e.run_id AS run_id,
    count() AS estimates,
    argMax(e.predicted_total_secs, e.step) AS final_predicted_secs,
    any(a.secs) AS actual_secs,
    avg(abs(e.predicted_total_secs - a.secs) / a.secs) * 100 AS mean_abs_error_pct,
    avgIf(abs(e.predicted_total_secs - a.secs) / a.secs, e.step * 2 <= ifNull(e.total_steps, a.last_step)) * 100
        AS early_mean_abs_error_pct
FROM ${db}.eta AS e FINAL
INNER JOIN actual AS a ON a.run_id = e.run_id
WHERE e.predicted_total_secs IS NOT NULL AND a.secs > 0
GROUP BY e.run_id
ORDER BY mean_abs_error_pct, run_id
