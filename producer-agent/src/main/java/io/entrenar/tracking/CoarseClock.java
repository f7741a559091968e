package io.entrenar.tracking;

/** Padding before the clock's value (superclass fields are laid out first). */
abstract class CoarseClockPad0 {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07;
}

abstract class CoarseClockValue extends CoarseClockPad0 {
    volatile long nanos = CoarseClock.STOPPED;
}

/**
 * A {@link System#nanoTime()} reading the drain thread refreshes on every pass of its loop (about
 * every millisecond while points arrive), read by training threads instead of the clock: reading
 * the clock costs a training thread about 20 ns on this kind of machine, more than the rest of
 * logMetric; a plain load of this field costs about one. Points are then stamped with the drain
 * thread's last tick, at most about a millisecond old (more only when the drain thread is starved
 * of CPU), like Log4j's CachedClock. Before the drain thread sleeps longer (nothing to do), it
 * {@linkplain #stop() stops} the clock, and readers fall back to the real clock until its next
 * tick. {@code metric.timestamps=precise} reads the clock per point.
 */
final class CoarseClock extends CoarseClockValue {
    /** Not a reading: the drain thread is asleep for longer than a tick. */
    static final long STOPPED = Long.MIN_VALUE;

    @SuppressWarnings("unused")
    private long p10, p11, p12, p13, p14, p15, p16, p17;

    long nanos() {
        long t = nanos;
        return t != STOPPED ? t : System.nanoTime();
    }

    /** Drain thread only. */
    void tick() {
        nanos = System.nanoTime();
    }

    /** Drain thread only: readings would go stale, so readers use the real clock until the next tick. */
    void stop() {
        nanos = STOPPED;
    }
}
