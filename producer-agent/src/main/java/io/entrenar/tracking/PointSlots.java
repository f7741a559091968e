package io.entrenar.tracking;

/**
 * The layout of a metric point in a {@code long[]}, shared by the rings, their overflow chunks, the
 * drain thread's per-run batches and the encoder: four longs a point (run index and name id, step,
 * value bits, time), half a cache line. Points move between them by {@code System.arraycopy}
 * and are encoded column by column with a stride, never unpacked one by one.
 */
final class PointSlots {
    static final int LONGS = 4;
    static final int STEP = 1;
    static final int VALUE_BITS = 2;
    /** {@code System.nanoTime()} while in a ring; wall-clock micros once the batcher converts it for encoding. */
    static final int TIME = 3;

    private PointSlots() {
    }

    static void write(long[] s, int point, int run, int name, long step, double value, long time) {
        int i = point * LONGS;
        s[i] = ((long) run << 32) | (name & 0xFFFF_FFFFL);
        s[i + STEP] = step;
        s[i + VALUE_BITS] = Double.doubleToRawLongBits(value);
        s[i + TIME] = time;
    }

    static int run(long[] s, int point) {
        return (int) (s[point * LONGS] >>> 32);
    }

    static int name(long[] s, int point) {
        return (int) s[point * LONGS];
    }

    static long step(long[] s, int point) {
        return s[point * LONGS + STEP];
    }

    static double value(long[] s, int point) {
        return Double.longBitsToDouble(s[point * LONGS + VALUE_BITS]);
    }

    static long time(long[] s, int point) {
        return s[point * LONGS + TIME];
    }
}
