-- Run comparison: every metric of two runs side by side (last value, best, worst, steps) and the
-- difference of the last values (b - a). argMax/min/max are unaffected by re-delivered points.
-- param run_a String
-- param run_b String
SELECT
    name,
    argMaxIf(value, step, run_id = {run_a:String}) AS a_last,
    argMaxIf(value, step, run_id = {run_b:String}) AS b_last,
    b_last - a_last AS delta,
    minIf(value, run_id = {run_a:String}) AS a_min,
    minIf(value, run_id = {run_b:String}) AS b_min,
    maxIf(value, run_id = {run_a:String}) AS a_max,
    maxIf(value, run_id = {run_b:String}) AS b_max,
    maxIf(step, run_id = {run_a:String}) AS a_last_step,
    maxIf(step, run_id = {run_b:String}) AS b_last_step
FROM ${db}.metric_points
WHERE run_id IN ({run_a:String}, {run_b:String})
GROUP BY name
ORDER BY name
