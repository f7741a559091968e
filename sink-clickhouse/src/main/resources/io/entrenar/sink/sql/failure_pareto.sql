-- Failure Pareto (spec 20.3): which error codes account for most failures of failed runs.
-- "80% of failures are OOM" says where remediation pays off first.
-- Exact under re-delivery: failures are read FINAL, run status comes from the runs view (argMax).
-- param experiment_id String = ""  (empty: every experiment)
SELECT
    f.error_code AS error_code,
    f.category AS category,
    count() AS occurrences,
    uniqExact(f.run_id) AS runs,
    round(count() * 100.0 / sum(count()) OVER (), 2) AS pct,
    round(sum(count()) OVER (ORDER BY count() DESC, f.error_code ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
          * 100.0 / sum(count()) OVER (), 2) AS cumulative_pct,
    any(f.remediation) AS remediation
FROM ${db}.failures AS f FINAL
INNER JOIN ${db}.runs AS r ON r.run_id = f.run_id
WHERE r.status = 'FAILED'
  AND ({experiment_id:String} = '' OR r.experiment_id = {experiment_id:String})
GROUP BY f.error_code, f.category
ORDER BY occurrences DESC, error_code
