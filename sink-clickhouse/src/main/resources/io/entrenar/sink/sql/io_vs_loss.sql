-- System IO against the loss (spec 1.1, the "split brain"): for each syscall interval, file/socket
-- IO bytes and time and GC time, next to the metric's mean over the run's steps logged in that
-- interval; io_metric_corr is Pearson's r between IO time and the metric over the run. The IO is the
-- run's own or, for a training run in a JVM with the agent, its process record's (the run's
-- entrenar.jvm_run_id tag): intervals and steps meet on time, so it needs no shared step counter.
-- param run_id String
-- param metric String = loss
WITH
    host AS (
        SELECT any(process_run_id) AS id FROM ${db}.process_records WHERE has(run_ids, {run_id:String})
    ),
    io AS (
        SELECT event_id, 1 AS k, interval_start, interval_end,
               sumIf(bytes, category IN ('FILE_IO', 'SOCKET_IO')) AS io_bytes,
               sumIf(total_duration_micros, category IN ('FILE_IO', 'SOCKET_IO')) AS io_micros,
               sumIf(total_duration_micros, category = 'GC') AS gc_micros
        FROM ${db}.syscalls FINAL
        WHERE run_id = {run_id:String} OR run_id = (SELECT id FROM host)
        GROUP BY event_id, interval_start, interval_end
    ),
    m AS (
        SELECT 1 AS k, step, avg(value) AS value, min(ts) AS ts
        FROM ${db}.metric_points FINAL
        WHERE run_id = {run_id:String} AND name = {metric:String}
        GROUP BY step
    ),
    per_interval AS (
        SELECT io.event_id AS event_id, min(m.step) AS first_step, max(m.step) AS last_step, any(io.io_bytes) AS io_bytes,
               any(io.io_micros) AS io_micros, any(io.gc_micros) AS gc_micros,
               avg(m.value) AS metric_mean, count() AS metric_steps
        FROM m
        ASOF INNER JOIN io ON m.k = io.k AND m.ts >= io.interval_start
        WHERE m.ts < io.interval_end
        GROUP BY io.event_id
    )
SELECT
    first_step,
    last_step,
    io_bytes,
    io_micros,
    gc_micros,
    io_micros / (last_step - first_step + 1) AS io_micros_per_step,
    metric_mean,
    metric_steps,
    corr(toFloat64(io_micros), metric_mean) OVER () AS io_metric_corr
FROM per_interval
ORDER BY first_step
