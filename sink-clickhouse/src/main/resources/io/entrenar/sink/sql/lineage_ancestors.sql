-- Lineage ancestors (spec 6): every run a run descends from (teacher, base model, initialization,
-- ...), with the shortest distance and the roles on the way. Cycles stop at max_depth.
-- param run_id String
-- param max_depth UInt32 = 32
WITH RECURSIVE up AS (
    SELECT parent_run_id AS run_id, role, 1 AS depth
    FROM ${db}.lineage_edges
    WHERE child_run_id = {run_id:String}
    UNION ALL
    SELECT e.parent_run_id AS run_id, e.role AS role, up.depth + 1 AS depth
    FROM ${db}.lineage_edges AS e
    INNER JOIN up ON e.child_run_id = up.run_id
    WHERE up.depth < {max_depth:UInt32}
)
SELECT run_id, min(depth) AS depth, arraySort(groupUniqArray(toString(role))) AS roles
FROM up
GROUP BY run_id
ORDER BY depth, run_id
