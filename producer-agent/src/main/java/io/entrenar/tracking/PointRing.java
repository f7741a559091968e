package io.entrenar.tracking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Padding before the producer index (superclass fields are laid out first). */
abstract class PointRingPad0 {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The producer's index: next position to write; published with a release store. */
abstract class PointRingTail extends PointRingPad0 {
    long tail;
    /** Producer-local cache of {@code head + capacity}, so a non-full ring costs no read of the consumer's line. */
    long producerLimit;
}

abstract class PointRingPad1 extends PointRingTail {
    @SuppressWarnings("unused")
    private long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The consumer's index: next position to read; published with a release store. */
abstract class PointRingHead extends PointRingPad1 {
    long head;
}

abstract class PointRingPad2 extends PointRingHead {
    @SuppressWarnings("unused")
    private long p20, p21, p22, p23, p24, p25, p26, p27;
}

/**
 * Single-producer single-consumer ring of metric points in primitive columns, owned by one
 * logging thread and drained by the tracker's one background thread (JCTools' SPSC layout: padded
 * indices, ordered stores, a cached limit). The producer neither locks, nor CASes, nor allocates
 * while the ring has room. When it is full, points go to an overflow queue (allocating, counted)
 * that is drained after the ring points logged before them, so a thread's points stay in order.
 */
final class PointRing extends PointRingPad2 {
    private static final VarHandle TAIL;
    private static final VarHandle HEAD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(PointRingTail.class, "tail", long.class);
            HEAD = l.findVarHandle(PointRingHead.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Receives drained points on the consumer thread. */
    interface PointSink {
        void point(int runIndex, int nameId, long step, double value, long nanoTime);
    }

    /**
     * A point that found its ring full. {@code ringPosition} is the ring's tail when it was
     * refused: it is handed over only once every ring point before that position has been.
     */
    record OverflowPoint(long ringPosition, int runIndex, int nameId, long step, double value, long nanoTime) {
    }

    private final Thread owner;
    private final int capacity;
    private final int mask;
    private final int[] runIndex;
    private final int[] nameId;
    private final long[] step;
    private final double[] value;
    private final long[] nanoTime;
    private final ConcurrentLinkedQueue<OverflowPoint> overflow = new ConcurrentLinkedQueue<>();
    /** Producer-only: set from the first refused point until the overflow queue is seen empty. */
    private boolean spilling;

    PointRing(Thread owner, int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two: " + capacity);
        }
        this.owner = owner;
        this.capacity = capacity;
        this.mask = capacity - 1;
        runIndex = new int[capacity];
        nameId = new int[capacity];
        step = new long[capacity];
        value = new double[capacity];
        nanoTime = new long[capacity];
        producerLimit = capacity;
    }

    Thread owner() {
        return owner;
    }

    /**
     * Producer side (the owner thread only). Returns false when the point took the overflow path;
     * it is never refused.
     */
    boolean log(int run, int name, long stepValue, double metricValue, long nanos) {
        if (spilling) {
            if (!overflow.isEmpty()) {
                overflow.add(new OverflowPoint(tail, run, name, stepValue, metricValue, nanos));
                return false;
            }
            spilling = false;
        }
        long t = tail;
        if (t >= producerLimit) {
            producerLimit = (long) HEAD.getAcquire(this) + capacity;
            if (t >= producerLimit) {
                spilling = true;
                overflow.add(new OverflowPoint(t, run, name, stepValue, metricValue, nanos));
                return false;
            }
        }
        int i = (int) t & mask;
        runIndex[i] = run;
        nameId[i] = name;
        step[i] = stepValue;
        value[i] = metricValue;
        nanoTime[i] = nanos;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** Consumer side: hands every published point to {@code sink} in logging order; returns how many. */
    int drain(PointSink sink) {
        int total = 0;
        while (true) {
            long h = head;
            long t = (long) TAIL.getAcquire(this);
            int n = (int) Math.min(t - h, capacity);
            for (int k = 0; k < n; k++) {
                int i = (int) (h + k) & mask;
                sink.point(runIndex[i], nameId[i], step[i], value[i], nanoTime[i]);
            }
            h += n;
            HEAD.setRelease(this, h);
            total += n;
            OverflowPoint p;
            int spilled = 0;
            while ((p = overflow.peek()) != null && p.ringPosition() <= h) {
                overflow.poll();
                sink.point(p.runIndex(), p.nameId(), p.step(), p.value(), p.nanoTime());
                spilled++;
            }
            total += spilled;
            if (n == 0 && spilled == 0) {
                return total;
            }
        }
    }

    /** Points ever written to the ring (overflowed points excluded). */
    long published() {
        return (long) TAIL.getAcquire(this);
    }

    /** Points logged and not yet drained, overflow included (approximate while the owner logs). */
    long size() {
        return Math.max(0, published() - (long) HEAD.getAcquire(this)) + overflow.size();
    }

    boolean isEmpty() {
        return published() == (long) HEAD.getAcquire(this) && overflow.isEmpty();
    }
}
