package io.entrenar.tracking;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Consumer;

import io.entrenar.schemas.Topic;

/**
 * Drain-thread side of metric logging: collects points per run into columns and turns them into
 * MetricBatch events when a batch is full or its oldest point has waited {@code flush.interval.ms}.
 */
final class MetricBatcher implements PointRing.PointSink {
    private final RunTable runs;
    private final MetricNames names;
    private final LamportClock clock;
    private final WallClock wallClock;
    private final String producerId;
    private final int maxPoints;
    private final long flushIntervalNanos;
    private final Consumer<Outbound> downstream;
    private final TrackerStats.Counters counters;
    private final MetricBatchEncoder encoder = new MetricBatchEncoder();
    private RunBuffer[] buffers = new RunBuffer[16];

    MetricBatcher(RunTable runs, MetricNames names, LamportClock clock, WallClock wallClock, String producerId,
                  int maxPoints, long flushIntervalNanos, Consumer<Outbound> downstream, TrackerStats.Counters counters) {
        this.runs = runs;
        this.names = names;
        this.clock = clock;
        this.wallClock = wallClock;
        this.producerId = producerId;
        this.maxPoints = maxPoints;
        this.flushIntervalNanos = flushIntervalNanos;
        this.downstream = downstream;
        this.counters = counters;
    }

    @Override
    public void point(int runIndex, int nameId, long step, double value, long nanoTime) {
        if (runIndex >= buffers.length) {
            buffers = Arrays.copyOf(buffers, Math.max(buffers.length * 2, runIndex + 1));
        }
        RunBuffer b = buffers[runIndex];
        if (b == null) {
            b = new RunBuffer(maxPoints, runs.runId(runIndex).getBytes(StandardCharsets.UTF_8));
            buffers[runIndex] = b;
        }
        if (b.count == 0) {
            b.firstNanos = nanoTime;
        }
        int i = b.count++;
        b.nameIds[i] = nameId;
        b.steps[i] = step;
        b.values[i] = value;
        b.micros[i] = wallClock.microsAt(nanoTime);
        if (b.count == maxPoints) {
            flush(runIndex, b);
        }
    }

    /** Flushes every batch whose oldest point is due (or all of them when {@code all}). */
    void flushDue(long nowNanos, boolean all) {
        for (int r = 0; r < buffers.length; r++) {
            RunBuffer b = buffers[r];
            if (b != null && b.count > 0 && (all || nowNanos - b.firstNanos >= flushIntervalNanos)) {
                flush(r, b);
            }
        }
    }

    /** Points per full batch. */
    int maxPoints() {
        return maxPoints;
    }

    /** True when no point waits in a batch. */
    boolean isEmpty() {
        for (RunBuffer b : buffers) {
            if (b != null && b.count > 0) {
                return false;
            }
        }
        return true;
    }

    /** Flushes one run's pending points (before its lifecycle events are shipped). */
    void flushRun(int runIndex) {
        if (runIndex < buffers.length && buffers[runIndex] != null && buffers[runIndex].count > 0) {
            flush(runIndex, buffers[runIndex]);
        }
    }

    private void flush(int runIndex, RunBuffer b) {
        String runId = runs.runId(runIndex);
        int length = encoder.encodeInPlace(UUID.randomUUID().toString(), runId, wallClock.nowMicros(), clock.tick(), producerId,
                b.sequence++, names, b.nameIds, b.steps, b.values, b.micros, b.count);
        b.count = 0;
        counters.batchesFlushed.incrementAndGet();
        // the body is the encoder's buffer: the shipper copies it (spool or Kafka record) before returning
        downstream.accept(new Outbound(Topic.METRICS, b.key, encoder.buffer(), length));
    }

    private static final class RunBuffer {
        final int[] nameIds;
        final long[] steps;
        final double[] values;
        final long[] micros;
        final byte[] key;
        int count;
        long firstNanos;
        long sequence;

        RunBuffer(int capacity, byte[] key) {
            this.key = key;
            nameIds = new int[capacity];
            steps = new long[capacity];
            values = new double[capacity];
            micros = new long[capacity];
        }
    }
}
