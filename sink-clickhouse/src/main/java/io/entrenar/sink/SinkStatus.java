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
 */
public record SinkStatus(long recordsConsumed, long rowsInserted, long batchesInserted, long deadLetters,
                         double rowsPerSecond, long lag, long lastCommitMillis) {
}
