-- Lineage descendants (spec 6): every run derived from a run (fine-tuned from it, distilled from
-- it, ...), with the shortest distance. Cycles stop at max_depth.
-- param run_id String
-- param max_depth UInt32 = 32
WITH RECURSIVE down AS (
    SELECT child_run_id AS run_id, role, 1 AS depth
    FROM ${db}.lineage_edges
    WHERE parent_run_id = {run_id:String}
    UNION ALL
    SELECT e.child_run_id AS run_id, e.role AS role, down.depth + 1 AS depth
    FROM ${db}.lineage_edges AS e
    INNER JOIN down ON e.parent_run_id = down.run_id
    WHERE down.depth < {max_depth:UInt32}
)
SELECT run_id, min(depth) AS depth, arraySort(groupUniqArray(toString(role))) AS roles
FROM down
GROUP BY run_id
ORDER BY depth, run_id
