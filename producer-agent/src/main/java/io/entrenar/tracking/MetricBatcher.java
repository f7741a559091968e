package io.entrenar.tracking;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Consumer;

import io.entrenar.schemas.Topic;

/**
 * Drain-thread side of metric logging: collects points per run (copied in bulk, in the rings'
 * layout) and turns them into MetricBatch events when a batch is full or its oldest point has
 * waited {@code flush.interval.ms}.
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

    /** Splits the range into stretches of one run (usually the whole range) and copies each into its batch. */
    @Override
    public void points(long[] slots, int from, int count) {
        int end = from + count;
        int i = from;
        while (i < end) {
            int run = PointSlots.run(slots, i);
            int j = i + 1;
            while (j < end && PointSlots.run(slots, j) == run) {
                j++;
            }
            append(run, slots, i, j - i);
            i = j;
        }
    }

    private void append(int runIndex, long[] slots, int from, int count) {
        if (runIndex >= buffers.length) {
            buffers = Arrays.copyOf(buffers, Math.max(buffers.length * 2, runIndex + 1));
        }
        RunBuffer b = buffers[runIndex];
        if (b == null) {
            b = new RunBuffer(maxPoints, runs.runId(runIndex).getBytes(StandardCharsets.UTF_8));
            buffers[runIndex] = b;
        }
        while (count > 0) {
            if (b.count == 0) {
                b.firstNanos = PointSlots.time(slots, from);
            }
            int k = Math.min(count, maxPoints - b.count);
            System.arraycopy(slots, from * PointSlots.LONGS, b.slots, b.count * PointSlots.LONGS, k * PointSlots.LONGS);
            b.count += k;
            from += k;
            count -= k;
            if (b.count == maxPoints) {
                flush(runIndex, b);
            }
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
        long[] s = b.slots;
        for (int i = PointSlots.TIME, end = b.count * PointSlots.LONGS; i < end; i += PointSlots.LONGS) {
            s[i] = wallClock.microsAt(s[i]);
        }
        int length = encoder.encodeInPlace(UUID.randomUUID().toString(), runId, wallClock.nowMicros(), clock.tick(), producerId,
                b.sequence++, names, s, b.count);
        b.count = 0;
        counters.batchesFlushed.incrementAndGet();
        // the body is the encoder's buffer: the shipper copies it (spool or Kafka record) before returning
        downstream.accept(new Outbound(Topic.METRICS, b.key, encoder.buffer(), length));
    }

    private static final class RunBuffer {
        /** The batch's points as {@link PointSlots} lays them out, copied in bulk from the rings. */
        final long[] slots;
        final byte[] key;
        int count;
        long firstNanos;
        long sequence;

        RunBuffer(int capacity, byte[] key) {
            this.key = key;
            slots = new long[capacity * PointSlots.LONGS];
        }
    }
}
