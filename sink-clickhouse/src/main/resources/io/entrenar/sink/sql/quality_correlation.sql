-- Quality correlation (spec 15.3): do high-accuracy models come from high-quality code?
-- One row per run with a quality record: the metric's last value, grade, mutation score and
-- coverage; red_flag marks high accuracy from low-quality code (a hidden liability), and
-- metric_mutation_corr is Pearson's r between the metric and the mutation score over all rows.
-- param metric String = accuracy
-- param min_value Float64 = 0.9
-- param min_mutation_score Float64 = 0.8
-- param min_grade String = B
WITH
    m AS (
        SELECT run_id, argMax(value, step) AS value
        FROM ${db}.metric_points
        WHERE name = {metric:String}
        GROUP BY run_id
    ),
    q AS (
        SELECT run_id, argMax(grade, ts) AS grade, argMax(mutation_score, ts) AS mutation_score,
               argMax(test_coverage, ts) AS test_coverage, argMax(quality_gate_passed, ts) AS quality_gate_passed
        FROM ${db}.code_quality
        GROUP BY run_id
    )
SELECT
    m.run_id AS run_id,
    m.value AS value,
    q.grade AS grade,
    q.mutation_score AS mutation_score,
    q.test_coverage AS test_coverage,
    q.quality_gate_passed AS quality_gate_passed,
    toBool(m.value >= {min_value:Float64}
        AND (ifNull(q.grade, 'Z') > {min_grade:String} OR ifNull(q.mutation_score, 0) < {min_mutation_score:Float64}))
        AS red_flag,
    corr(m.value, ifNull(q.mutation_score, nan)) OVER () AS metric_mutation_corr
FROM m
INNER JOIN q ON q.run_id = m.run_id
ORDER BY value DESC, run_id
