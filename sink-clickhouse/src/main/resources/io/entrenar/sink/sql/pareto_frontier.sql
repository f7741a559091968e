-- Cost/quality Pareto frontier of a benchmark (spec 24): an entry is Pareto optimal when no other
-- entry has at least its quality for at most its cost, and is strictly better in one of them.
-- dominated_by lists the entries that dominate it. The latest leaderboard entry per run counts.
-- param benchmark String
WITH e AS (
    SELECT run_id, model, device, quality, ifNull(cost_usd, 0) AS cost, energy_kwh, latency_p50_ms
    FROM ${db}.leaderboard FINAL
    WHERE benchmark = {benchmark:String}
)
SELECT
    a.run_id AS run_id,
    a.model AS model,
    a.device AS device,
    a.quality AS quality,
    a.cost AS cost_usd,
    a.energy_kwh AS energy_kwh,
    if(a.cost > 0, a.quality / a.cost, inf) AS efficiency,
    toBool(countIf(b.quality >= a.quality AND b.cost <= a.cost AND (b.quality > a.quality OR b.cost < a.cost)) = 0)
        AS pareto_optimal,
    arraySort(groupArrayIf(b.run_id,
        b.quality >= a.quality AND b.cost <= a.cost AND (b.quality > a.quality OR b.cost < a.cost))) AS dominated_by
FROM e AS a
CROSS JOIN e AS b
GROUP BY a.run_id, a.model, a.device, a.quality, a.cost, a.energy_kwh
ORDER BY pareto_optimal DESC, quality DESC, cost_usd, run_id
