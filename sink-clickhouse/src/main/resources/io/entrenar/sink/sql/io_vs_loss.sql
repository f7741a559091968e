-- System IO per step against the loss (spec 1.1, the "split brain"): for each syscall interval of
-- a run, file/socket IO bytes and time and GC time, next to the metric's mean over the steps the
-- interval covers; io_metric_corr is Pearson's r between IO time and the metric over the run.
-- param run_id String
-- param metric String = loss
WITH
    io AS (
        SELECT event_id, first_step, last_step,
               sumIf(bytes, category IN ('FILE_IO', 'SOCKET_IO')) AS io_bytes,
               sumIf(total_duration_micros, category IN ('FILE_IO', 'SOCKET_IO')) AS io_micros,
               sumIf(total_duration_micros, category = 'GC') AS gc_micros
        FROM ${db}.syscalls FINAL
        WHERE run_id = {run_id:String} AND first_step IS NOT NULL AND last_step IS NOT NULL
        GROUP BY event_id, first_step, last_step
    ),
    m AS (
        SELECT step, avg(value) AS value
        FROM ${db}.metric_points FINAL
        WHERE run_id = {run_id:String} AND name = {metric:String}
        GROUP BY step
    ),
    per_interval AS (
        SELECT io.first_step AS first_step, io.last_step AS last_step, any(io.io_bytes) AS io_bytes,
               any(io.io_micros) AS io_micros, any(io.gc_micros) AS gc_micros,
               avg(m.value) AS metric_mean, count() AS metric_steps
        FROM (SELECT *, arrayJoin(range(assumeNotNull(first_step), assumeNotNull(last_step) + 1)) AS step FROM io) AS io
        INNER JOIN m ON m.step = io.step
        GROUP BY io.event_id, io.first_step, io.last_step
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
