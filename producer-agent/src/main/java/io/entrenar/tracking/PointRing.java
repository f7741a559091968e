package io.entrenar.tracking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

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
    /**
     * Points written to overflow chunks; producer-written with opaque stores, on the producer's own
     * line: a shared atomic counter here cost the overflow path a locked add on a line the drain
     * and network threads also write.
     */
    long overflowed;
}

abstract class PointRingPad1 extends PointRingTail {
    @SuppressWarnings("unused")
    private long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The consumer's index: next position to read; published with a release store. */
abstract class PointRingHead extends PointRingPad1 {
    long head;
    /** Points handed over by the consumer, overflow included; consumer-written with opaque stores. */
    long drained;
}

abstract class PointRingPad2 extends PointRingHead {
    @SuppressWarnings("unused")
    private long p20, p21, p22, p23, p24, p25, p26, p27;
}

/**
 * Single-producer single-consumer ring of metric points in a primitive array, owned by one
 * logging thread and drained by the tracker's one background thread (JCTools' SPSC layout: padded
 * indices, ordered stores, a cached limit). The producer neither locks, nor CASes, nor allocates
 * while the ring has room. When it is full, points spill into overflow chunks ({@value #CHUNK_POINTS}
 * points laid out like the ring's slots, allocated only then and reused once drained, counted)
 * that sit at the ring position where the spill began: the consumer hands over ring points before that position, then the chunk, then
 * the ring points after it, so a thread's points stay in order. The producer returns to the ring
 * as soon as it has room again.
 */
final class PointRing extends PointRingPad2 {
    static final int CHUNK_POINTS = 4096;
    private static final int MAX_SPARE_CHUNKS = 16;
    private static final VarHandle TAIL;
    private static final VarHandle HEAD;
    private static final VarHandle OVERFLOWED;
    private static final VarHandle DRAINED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(PointRingTail.class, "tail", long.class);
            HEAD = l.findVarHandle(PointRingHead.class, "head", long.class);
            OVERFLOWED = l.findVarHandle(PointRingTail.class, "overflowed", long.class);
            DRAINED = l.findVarHandle(PointRingHead.class, "drained", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Receives drained points on the consumer thread, in ranges; it copies what it keeps before returning. */
    interface PointSink {
        /** Points {@code [from, from + count)} of {@code slots}, laid out as {@link PointSlots} says. */
        void points(long[] slots, int from, int count);
    }

    /** Points that found the ring full, in columns; filled by the producer, read by the consumer. */
    private static final class Chunk {
        private static final VarHandle COUNT;
        private static final VarHandle SEALED;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                COUNT = l.findVarHandle(Chunk.class, "count", int.class);
                SEALED = l.findVarHandle(Chunk.class, "sealed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Ring position the chunk sits at: after ring points before it, before ring points from it. */
        long ringPosition;
        /** Points laid out like the ring's slots. */
        final long[] slots = new long[CHUNK_POINTS * PointSlots.LONGS];
        /** Points written; published with a release store. */
        int count;
        /** No more points will come; published after the last count. */
        boolean sealed;
        /** Consumer only: points handed over. */
        int read;

        /** Producer only, before the chunk is queued (the queue publishes these writes). */
        Chunk reset(long position) {
            ringPosition = position;
            count = 0;
            sealed = false;
            read = 0;
            return this;
        }

        int published() {
            return (int) COUNT.getAcquire(this);
        }

        boolean isSealed() {
            return (boolean) SEALED.getAcquire(this);
        }

        void seal() {
            SEALED.setRelease(this, true);
        }
    }

    private final Thread owner;
    private final int capacity;
    private final int mask;
    /**
     * The points, laid out as {@link PointSlots} says: a point is half a cache line, so a write
     * touches one line instead of one per column, each line the drain thread pulls over from the
     * logging thread's core carries whole points, and the drain copies ranges of them in bulk.
     */
    private final long[] slots;
    private final ConcurrentLinkedQueue<Chunk> overflow = new ConcurrentLinkedQueue<>();
    /** Drained chunks handed back to the producer (at most {@link #MAX_SPARE_CHUNKS}, 2 MiB). */
    private final ConcurrentLinkedQueue<Chunk> spares = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spareCount = new AtomicInteger();
    /** Producer only: the chunk being filled while the ring is full. */
    private Chunk spill;

    PointRing(Thread owner, int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two: " + capacity);
        }
        this.owner = owner;
        this.capacity = capacity;
        this.mask = capacity - 1;
        slots = new long[capacity * PointSlots.LONGS];
        producerLimit = capacity;
    }

    Thread owner() {
        return owner;
    }

    /**
     * Producer side (the owner thread only). Returns false when the point went to an overflow
     * chunk because the ring was full; a point is never refused.
     */
    boolean log(int run, int name, long stepValue, double metricValue, long nanos) {
        long t = tail;
        if (t >= producerLimit) {
            producerLimit = (long) HEAD.getAcquire(this) + capacity;
            if (t >= producerLimit) {
                spill(t, run, name, stepValue, metricValue, nanos);
                return false;
            }
            if (spill != null) {
                spill.seal(); // the ring has room again: later points follow the chunk
                spill = null;
            }
        }
        PointSlots.write(slots, (int) t & mask, run, name, stepValue, metricValue, nanos);
        TAIL.setRelease(this, t + 1);
        return true;
    }

    private void spill(long ringPosition, int run, int name, long stepValue, double metricValue, long nanos) {
        Chunk c = spill;
        if (c == null || c.count == CHUNK_POINTS) {
            if (c != null) {
                c.seal();
            }
            Chunk spare = spares.poll();
            if (spare != null) {
                spareCount.decrementAndGet();
            }
            c = (spare != null ? spare : new Chunk()).reset(ringPosition);
            spill = c;
            overflow.add(c);
        }
        int i = c.count;
        PointSlots.write(c.slots, i, run, name, stepValue, metricValue, nanos);
        Chunk.COUNT.setRelease(c, i + 1);
        OVERFLOWED.setOpaque(this, overflowed + 1);
    }

    /** Consumer side: hands every published point to {@code sink} in logging order; returns how many. */
    int drain(PointSink sink) {
        return drain(sink, Integer.MAX_VALUE);
    }

    /** Consumer side: hands at most {@code budget} published points to {@code sink}, in logging order. */
    int drain(PointSink sink, int budget) {
        int total = 0;
        while (total < budget) {
            long h = head;
            // tail before the chunk: a chunk created after this read sits at or beyond t
            long t = (long) TAIL.getAcquire(this);
            Chunk c = overflow.peek();
            long limit = c == null ? t : Math.min(t, c.ringPosition);
            int n = (int) Math.max(0, Math.min(Math.min(limit - h, capacity), budget - total));
            if (n > 0) {
                int start = (int) h & mask;
                int first = Math.min(n, capacity - start);
                sink.points(slots, start, first);
                if (first < n) {
                    sink.points(slots, 0, n - first); // wrapped around
                }
            }
            h += n;
            HEAD.setRelease(this, h);
            total += n;
            int spilled = 0;
            if (c != null && h >= c.ringPosition && total < budget) {
                boolean sealed = c.isSealed(); // read before the count: a sealed chunk's count is final
                int published = c.published();
                int end = (int) Math.min(published, (long) c.read + budget - total);
                if (end > c.read) {
                    sink.points(c.slots, c.read, end - c.read);
                }
                spilled = end - c.read;
                c.read = end;
                total += spilled;
                if (sealed && end == published) {
                    recycle(overflow.poll());
                    continue;
                }
            }
            if (n == 0 && spilled == 0) {
                break;
            }
        }
        DRAINED.setOpaque(this, drained + total);
        return total;
    }

    /**
     * Consumer side: keeps a drained chunk for the producer's next spill. A thread that outruns the
     * drain for a while spills chunk after chunk; without reuse each is 128 KiB of fresh garbage
     * that stays live until drained, which the collector then copies.
     */
    private void recycle(Chunk c) {
        if (spareCount.get() < MAX_SPARE_CHUNKS) {
            spareCount.incrementAndGet();
            spares.offer(c);
        }
    }

    /** Points ever logged to this ring, overflowed ones included. */
    long logged() {
        return (long) TAIL.getAcquire(this) + (long) OVERFLOWED.getOpaque(this);
    }

    /** Points handed to the consumer's sink so far, overflow included. */
    long drained() {
        return (long) DRAINED.getOpaque(this);
    }

    /** Points ever logged that found the ring full and went to an overflow chunk. */
    long overflowed() {
        return (long) OVERFLOWED.getOpaque(this);
    }

    /** Points logged and not yet drained, overflow included (approximate while the owner logs). */
    long size() {
        long handedOver = (long) DRAINED.getOpaque(this); // first: points are logged before they are drained
        return Math.max(0, logged() - handedOver);
    }

    boolean isEmpty() {
        return size() == 0;
    }
}
