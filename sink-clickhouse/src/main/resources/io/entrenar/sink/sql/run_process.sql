-- The process a run trained in, over the run's lifetime: its own resource samples or, for a training
-- run in a JVM with the agent, those of the JVM's process record (the run's entrenar.jvm_run_id tag),
-- bucketed into at most `points` time buckets: heap used, process CPU, threads, GC count and pause
-- (deltas within the bucket), for the run page's process charts next to the loss.
-- param run_id String
-- param points UInt32 = 300
WITH
    host AS (
        SELECT any(process_run_id) AS id FROM ${db}.process_records WHERE has(run_ids, {run_id:String})
    ),
    life AS (
        SELECT min(ts) AS t0,
               if(countIf(kind = 'finished') > 0, maxIf(ts, kind = 'finished'), now64(6)) AS t1
        FROM ${db}.run_events
        WHERE run_id = {run_id:String}
    ),
    samples AS (
        SELECT run_id, ts, heap_used_bytes, process_cpu_load, thread_count, gc_count, gc_pause_micros
        FROM ${db}.resources FINAL
        WHERE (run_id = {run_id:String} OR run_id = (SELECT id FROM host))
          AND ts BETWEEN (SELECT t0 FROM life) AND (SELECT t1 FROM life)
    ),
    width AS (
        SELECT greatest(1, intDiv(toUnixTimestamp64Micro(max(ts)) - toUnixTimestamp64Micro(min(ts)), {points:UInt32}) + 1) AS us,
               min(ts) AS first
        FROM samples
    )
SELECT
    any(run_id) AS process_run_id,
    intDiv(toUnixTimestamp64Micro(ts) - toUnixTimestamp64Micro((SELECT first FROM width)), (SELECT us FROM width)) AS bucket,
    toUnixTimestamp64Milli(min(ts)) AS ts_ms,
    count() AS samples,
    round(max(heap_used_bytes) / 1048576, 1) AS heap_used_mb,
    round(avg(process_cpu_load) * 100, 1) AS cpu_pct,
    max(thread_count) AS threads,
    max(gc_count) - min(gc_count) AS gc_count,
    round((max(gc_pause_micros) - min(gc_pause_micros)) / 1000, 1) AS gc_pause_ms
FROM samples
GROUP BY bucket
ORDER BY bucket
