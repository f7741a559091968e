-- The agent's records of JVMs that host training runs: a training run started in a JVM with the
-- agent names that JVM's record in its entrenar.jvm_run_id tag. Such a record is the job's process,
-- not a run of its own: the runs lists leave it out, and a run's page and `runs show` join its
-- resources, syscalls and GC through this view (README "One run per job").
CREATE VIEW IF NOT EXISTS ${db}.process_records AS
SELECT tags['entrenar.jvm_run_id'] AS process_run_id, groupUniqArray(run_id) AS run_ids
FROM ${db}.run_events
WHERE kind = 'started' AND mapContains(tags, 'entrenar.jvm_run_id')
GROUP BY process_run_id;
