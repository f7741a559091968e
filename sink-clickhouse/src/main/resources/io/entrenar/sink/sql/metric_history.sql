-- Metric history downsampled for charts: at most `points` buckets of equal step width over the
-- run, each with mean/min/max of the finite values, the last value, and how many were NaN/inf.
-- Read FINAL so that re-delivered points do not skew means and counts.
-- param run_id String
-- param metric String
-- param points UInt32 = 200
WITH
    (SELECT (min(step), max(step)) FROM ${db}.metric_points
     WHERE run_id = {run_id:String} AND name = {metric:String}) AS bounds,
    greatest(1, intDiv(bounds.2 - bounds.1, greatest({points:UInt32}, 1)) + 1) AS width
SELECT
    bounds.1 + intDiv(step - bounds.1, width) * width AS bucket_start,
    min(step) AS first_step,
    max(step) AS last_step,
    avgIf(value, isFinite(value)) AS mean,
    minIf(value, isFinite(value)) AS min,
    maxIf(value, isFinite(value)) AS max,
    argMax(value, step) AS last,
    count() AS samples,
    countIf(NOT isFinite(value)) AS non_finite
FROM ${db}.metric_points FINAL
WHERE run_id = {run_id:String} AND name = {metric:String}
GROUP BY bucket_start
ORDER BY bucket_start
