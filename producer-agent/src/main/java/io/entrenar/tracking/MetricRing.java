package io.entrenar.tracking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Bounded multi-producer single-consumer ring of metric points held in primitive columns, so a
 * point costs no object. Each slot carries a sequence number (Vyukov's bounded queue): a producer
 * claims a position with one CAS, writes the columns, then publishes the slot with a release store;
 * the single consumer reads published slots in order and hands them back. Nothing here locks or
 * allocates after construction.
 */
final class MetricRing {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(MetricRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Receives drained points on the consumer thread. */
    interface PointSink {
        void point(int runIndex, int nameId, long step, double value, long nanoTime);
    }

    private final int mask;
    private final long[] sequence;
    private final int[] runIndex;
    private final int[] nameId;
    private final long[] step;
    private final double[] value;
    private final long[] nanoTime;

    // Padding keeps the producers' contended counter off the consumer's cache line.
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    private volatile long tail;
    @SuppressWarnings("unused")
    private long q01, q02, q03, q04, q05, q06, q07;
    private volatile long head;

    MetricRing(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two: " + capacity);
        }
        mask = capacity - 1;
        sequence = new long[capacity];
        runIndex = new int[capacity];
        nameId = new int[capacity];
        step = new long[capacity];
        value = new double[capacity];
        nanoTime = new long[capacity];
        for (int i = 0; i < capacity; i++) {
            sequence[i] = i;
        }
    }

    int capacity() {
        return mask + 1;
    }

    /** Producer side; false when the ring is full. */
    boolean offer(int run, int name, long stepValue, double metricValue, long nanos) {
        long pos = tail;
        for (;;) {
            int slot = (int) pos & mask;
            long seq = (long) LONGS.getAcquire(sequence, slot);
            long diff = seq - pos;
            if (diff == 0) {
                if (TAIL.weakCompareAndSet(this, pos, pos + 1)) {
                    runIndex[slot] = run;
                    nameId[slot] = name;
                    step[slot] = stepValue;
                    value[slot] = metricValue;
                    nanoTime[slot] = nanos;
                    LONGS.setRelease(sequence, slot, pos + 1);
                    return true;
                }
                pos = tail;
            } else if (diff < 0) {
                return false;
            } else {
                pos = tail;
            }
        }
    }

    /** Consumer side: hands up to {@code limit} published points to {@code sink}; returns how many. */
    int drain(PointSink sink, int limit) {
        long h = head;
        int n = 0;
        while (n < limit) {
            int slot = (int) h & mask;
            long seq = (long) LONGS.getAcquire(sequence, slot);
            if (seq != h + 1) {
                break;
            }
            sink.point(runIndex[slot], nameId[slot], step[slot], value[slot], nanoTime[slot]);
            LONGS.setRelease(sequence, slot, h + mask + 1);
            h++;
            n++;
        }
        head = h;
        return n;
    }

    /** Points ever accepted. */
    long published() {
        return tail;
    }

    /** Points published and not yet drained (approximate while producers run). */
    long size() {
        return tail - head;
    }
}
