-- Best for budget (spec 24.3): the highest-quality entry of a benchmark whose cost fits the
-- budget (cheaper first on ties), and how it compares with the cheapest entry overall. Entries
-- of unknown cost cannot be shown to fit a budget and take no part.
-- param benchmark String
-- param budget_usd Float64
WITH e AS (
    SELECT run_id, model, device, quality, assumeNotNull(cost_usd) AS cost
    FROM ${db}.leaderboard FINAL
    WHERE benchmark = {benchmark:String} AND cost_usd IS NOT NULL
)
SELECT
    run_id,
    model,
    device,
    quality,
    cost AS cost_usd,
    {budget_usd:Float64} - cost AS budget_left_usd,
    quality - (SELECT argMin(quality, (cost, -quality)) FROM e) AS quality_over_cheapest,
    cost - (SELECT min(cost) FROM e) AS cost_over_cheapest_usd
FROM e
WHERE cost <= {budget_usd:Float64}
ORDER BY quality DESC, cost ASC, run_id
LIMIT 1
