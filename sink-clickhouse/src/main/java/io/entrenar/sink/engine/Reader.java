package io.entrenar.sink.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The one path by which SQL from outside the process (the ClickHouse HTTP endpoint, so
 * {@code entrenar sql}, the CLI views and the dashboard) reaches the embedded engine. Each
 * statement is admitted (at most {@link ReaderLimits#maxConcurrent()} at once), checked by the
 * engine's own parser ({@link ReadOnlyGate}), then run with {@code readonly = 1} and the limits as
 * settings the engine enforces, its output streamed chunk by chunk. The writers (the sink and the
 * migrations) use the engine directly; nothing outside the process reaches that path unless an
 * endpoint is explicitly configured read-write.
 */
public final class Reader {

    private static final int TOO_MANY_SIMULTANEOUS_QUERIES = 202;
    private static final int TOO_MANY_ROWS_OR_BYTES = 396;

    private final ChdbEngine engine;
    private final ReaderLimits limits;
    private final ReadOnlyGate gate;
    private final Semaphore admitted;

    public Reader(ChdbEngine engine, ReaderLimits limits) {
        this.engine = engine;
        this.limits = limits;
        this.gate = new ReadOnlyGate(engine);
        this.admitted = new Semaphore(limits.maxConcurrent());
    }

    /**
     * Runs {@code sql} as a read with {@code database} as the current database and hands the
     * output, in {@code format}, to {@code out} as the engine produces it. Refusals and limits fail
     * with ClickHouse's errors: READONLY (164), ACCESS_DENIED (497), TIMEOUT_EXCEEDED (159),
     * MEMORY_LIMIT_EXCEEDED (241), TOO_MANY_ROWS_OR_BYTES (396), TOO_MANY_SIMULTANEOUS_QUERIES (202).
     */
    public void query(String database, String sql, Map<String, String> params, String format, ChdbEngine.ChunkSink out)
            throws IOException {
        if (!admitted.tryAcquire()) {
            throw new ClickHouseException(TOO_MANY_SIMULTANEOUS_QUERIES, "Code: 202. DB::Exception: Too many simultaneous "
                    + "queries. Maximum: " + limits.maxConcurrent() + ". (TOO_MANY_SIMULTANEOUS_QUERIES)");
        }
        try (ChdbEngine.Exclusive ignored = engine.exclusive(limits.queueWait())) {
            ReadOnlyGate.Checked checked = gate.check(SingleStatement.require(sql), params);
            String statement = checked.canonical() + "\n" + limits.settingsClause();
            ChdbEngine.ChunkSink bounded = boundedBy(limits.maxOutputBytes(), format, out);
            if (checked.streamable()) {
                engine.stream(database, statement, params, format, limits.queueWait(), bounded);
                return;
            }
            bounded.accept(ByteBuffer.wrap(engine.queryIn(database, statement, params, format)));
        } finally {
            admitted.release();
        }
    }

    private static ChdbEngine.ChunkSink boundedBy(long maxBytes, String format, ChdbEngine.ChunkSink out) {
        long[] written = {0};
        return chunk -> {
            written[0] += chunk.remaining();
            if (written[0] > maxBytes) {
                throw new ClickHouseException(TOO_MANY_ROWS_OR_BYTES, "Code: 396. DB::Exception: Limit for result exceeded: "
                        + "the answer in " + format + " passed " + maxBytes + " bytes. (TOO_MANY_ROWS_OR_BYTES)");
            }
            out.accept(chunk);
        };
    }
}
