package io.entrenar.sink;

/**
 * What the sink has done so far: the figures {@code entrenar sink} logs and the embedded stack
 * exposes.
 *
 * @param recordsConsumed Kafka records read (including dead letters and tombstones)
 * @param rowsInserted rows inserted into ClickHouse, all tables
 * @param batchesInserted inserts followed by an offset commit
 * @param deadLetters records sent to the dead-letter topic
 * @param rowsPerSecond rows inserted per second over the last status interval
 * @param lag records behind the end of the assigned partitions, as of the last poll (-1 = unknown)
 * @param lastCommitMillis wall-clock time of the last offset commit (0 = none yet)
 * @param lastBatchAgeMillis how old the oldest event of the last inserted batch was when it became
 *     queryable (its {@code ts_micros} to the end of the insert): the logged → queryable lag
 */
public record SinkStatus(long recordsConsumed, long rowsInserted, long batchesInserted, long deadLetters,
                         double rowsPerSecond, long lag, long lastCommitMillis, long lastBatchAgeMillis) {

    /** The figures in Prometheus' text exposition format (served at {@code /metrics}). */
    public String toPrometheus() {
        StringBuilder b = new StringBuilder(1024);
        metric(b, "entrenar_sink_records_consumed_total", "counter", "Kafka records read, dead letters included.", recordsConsumed);
        metric(b, "entrenar_sink_rows_inserted_total", "counter", "Rows inserted into ClickHouse, all tables.", rowsInserted);
        metric(b, "entrenar_sink_batches_inserted_total", "counter", "Inserts followed by an offset commit.", batchesInserted);
        metric(b, "entrenar_sink_dead_letters_total", "counter", "Records sent to the dead-letter topic.", deadLetters);
        metric(b, "entrenar_sink_rows_per_second", "gauge", "Rows inserted per second, last interval.", rowsPerSecond);
        metric(b, "entrenar_sink_consumer_lag_records", "gauge", "Records behind the end of the assigned partitions.", lag);
        metric(b, "entrenar_sink_last_commit_timestamp_seconds", "gauge", "Time of the last offset commit.",
                lastCommitMillis / 1000.0);
        metric(b, "entrenar_sink_last_batch_age_seconds", "gauge",
                "Age of the oldest event of the last batch when it became queryable.", lastBatchAgeMillis / 1000.0);
        return b.toString();
    }

    private static void metric(StringBuilder b, String name, String type, String help, double value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        b.append(name).append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            b.append((long) value);
        } else {
            b.append(value);
        }
        b.append('\n');
    }
}
