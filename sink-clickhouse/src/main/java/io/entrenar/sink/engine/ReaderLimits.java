package io.entrenar.sink.engine;

import java.time.Duration;
import java.util.Locale;

/**
 * What one query from outside may use. The engine enforces the first four itself (ClickHouse's
 * {@code max_execution_time}, {@code max_memory_usage}, {@code max_result_rows} and
 * {@code max_result_bytes}, each failing the query with ClickHouse's error); the {@link Reader}
 * enforces the rest.
 *
 * @param maxExecutionTime  cut-off of one query (TIMEOUT_EXCEEDED, 159)
 * @param maxMemoryBytes    memory one query may take in the engine (MEMORY_LIMIT_EXCEEDED, 241)
 * @param maxResultRows     rows of one result (TOO_MANY_ROWS_OR_BYTES, 396)
 * @param maxResultBytes    uncompressed bytes of one result in the engine (396)
 * @param maxOutputBytes    bytes of one formatted answer, held in memory or a spool file (396)
 * @param maxConcurrent     queries admitted at once, running or waiting (TOO_MANY_SIMULTANEOUS_QUERIES, 202)
 * @param queueWait         how long an admitted query waits for the engine, which runs one
 *                          statement at a time (TIMEOUT_EXCEEDED, 159)
 */
public record ReaderLimits(Duration maxExecutionTime, long maxMemoryBytes, long maxResultRows, long maxResultBytes,
                           long maxOutputBytes, int maxConcurrent, Duration queueWait) {

    public ReaderLimits {
        if (maxExecutionTime.toMillis() < 1 || maxMemoryBytes < 1 || maxResultRows < 1 || maxResultBytes < 1
                || maxOutputBytes < 1 || maxConcurrent < 1 || queueWait.isNegative()) {
            throw new IllegalArgumentException("reader limits must be positive: " + this);
        }
    }

    /**
     * The SETTINGS clause every reader query runs with: {@code readonly=1} makes the engine refuse
     * writes, DDL, setting changes and table functions that reach files, URLs, processes or other
     * servers; the limits make it cut off a runaway query with its own error.
     */
    String settingsClause() {
        return String.format(Locale.ROOT, "SETTINGS readonly = 1, max_execution_time = %s, timeout_overflow_mode = 'throw', "
                        + "max_memory_usage = %d, max_result_rows = %d, max_result_bytes = %d, result_overflow_mode = 'throw'",
                seconds(maxExecutionTime), maxMemoryBytes, maxResultRows, maxResultBytes);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }
}
