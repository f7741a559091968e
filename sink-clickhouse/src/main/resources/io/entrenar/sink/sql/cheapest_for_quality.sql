-- Cheapest for quality (spec 24): the cheapest entry of a benchmark that reaches a quality target;
-- entries of unknown cost (NULL) come after every known one.
-- param benchmark String
-- param quality_target Float64
SELECT run_id, model, device, quality, cost_usd
FROM ${db}.leaderboard FINAL
WHERE benchmark = {benchmark:String} AND quality >= {quality_target:Float64}
ORDER BY cost_usd ASC NULLS LAST, quality DESC, run_id
LIMIT 1
