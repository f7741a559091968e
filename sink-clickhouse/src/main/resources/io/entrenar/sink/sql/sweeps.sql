-- Sweeps: every sweep with its trial counts and its best completed trial by a summary metric
-- (higher is better unless lower_is_better = 1); trials without the metric rank last.
-- param experiment String = ""  (empty: every experiment)
-- param metric String = test_accuracy
-- param lower_is_better UInt8 = 0
SELECT
    sweep_id,
    any(experiment_name) AS experiment,
    count() AS trials,
    countIf(status = 'COMPLETED') AS completed,
    countIf(status = 'FAILED') AS failed,
    countIf(status IN ('RUNNING', 'PAUSED', 'AWAITING_APPROVAL', 'PENDING')) AS live,
    argMaxIf(run_id, if({lower_is_better:UInt8} = 1, -summary[{metric:String}], summary[{metric:String}]),
             status = 'COMPLETED' AND mapContains(summary, {metric:String})) AS best_run_id,
    argMaxIf(run_name, if({lower_is_better:UInt8} = 1, -summary[{metric:String}], summary[{metric:String}]),
             status = 'COMPLETED' AND mapContains(summary, {metric:String})) AS best_run_name,
    if(countIf(status = 'COMPLETED' AND mapContains(summary, {metric:String})) = 0, NULL,
       if({lower_is_better:UInt8} = 1,
          minIf(summary[{metric:String}], status = 'COMPLETED' AND mapContains(summary, {metric:String})),
          maxIf(summary[{metric:String}], status = 'COMPLETED' AND mapContains(summary, {metric:String})))) AS best_value,
    min(started_at) AS first_started_at
FROM ${db}.runs
WHERE ifNull(sweep_id, '') != '' AND ({experiment:String} = '' OR experiment_name = {experiment:String})
GROUP BY sweep_id
ORDER BY first_started_at DESC
