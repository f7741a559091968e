-- Cost/quality Pareto frontier of a benchmark (spec 24): an entry is Pareto optimal when no other
-- entry has at least its quality for at most its cost, and is strictly better in one of them.
-- dominated_by lists the entries that dominate it. The latest leaderboard entry per run counts.
-- An unknown cost stays NULL in the answer and ranks as the highest cost (it never beats a known
-- one; two unknown costs compare on quality alone), as in the leaderboard processor.
-- param benchmark String
WITH e AS (
    SELECT run_id, model, device, quality, cost_usd, ifNull(cost_usd, inf) AS cost, energy_kwh, latency_p50_ms
    FROM ${db}.leaderboard FINAL
    WHERE benchmark = {benchmark:String}
)
SELECT
    a.run_id AS run_id,
    a.model AS model,
    a.device AS device,
    a.quality AS quality,
    a.cost_usd AS cost_usd,
    a.energy_kwh AS energy_kwh,
    if(a.cost_usd > 0, a.quality / a.cost_usd, NULL) AS efficiency,
    toBool(countIf(b.quality >= a.quality AND b.cost <= a.cost AND (b.quality > a.quality OR b.cost < a.cost)) = 0)
        AS pareto_optimal,
    arraySort(groupArrayIf(b.run_id,
        b.quality >= a.quality AND b.cost <= a.cost AND (b.quality > a.quality OR b.cost < a.cost))) AS dominated_by
FROM e AS a
CROSS JOIN e AS b
GROUP BY a.run_id, a.model, a.device, a.quality, a.cost_usd, a.cost, a.energy_kwh
ORDER BY pareto_optimal DESC, quality DESC, a.cost, run_id
