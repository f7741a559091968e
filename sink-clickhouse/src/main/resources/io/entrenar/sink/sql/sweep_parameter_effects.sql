-- Which parameters mattered in a sweep: for every parameter whose value differs between the
-- sweep's completed trials, the metric's mean, best and worst per value, and the parameter's
-- effect = the spread of those means (max - min). The largest effect comes first.
-- param sweep_id String
-- param metric String = test_accuracy
WITH trials AS (
    SELECT run_id, params, summary[{metric:String}] AS v
    FROM ${db}.runs
    WHERE sweep_id = {sweep_id:String} AND status = 'COMPLETED' AND mapContains(summary, {metric:String})
),
pairs AS (
    SELECT param, value, v
    FROM trials
    ARRAY JOIN mapKeys(params) AS param, mapValues(params) AS value
),
varying AS (
    SELECT param FROM pairs GROUP BY param HAVING uniqExact(value) > 1
),
by_value AS (
    SELECT param, value, count() AS trials, avg(v) AS mean, max(v) AS best, min(v) AS worst
    FROM pairs
    WHERE param IN (SELECT param FROM varying)
    GROUP BY param, value
)
SELECT
    param, value, trials, mean, best, worst,
    max(mean) OVER (PARTITION BY param) - min(mean) OVER (PARTITION BY param) AS effect
FROM by_value
ORDER BY effect DESC, param, mean DESC
