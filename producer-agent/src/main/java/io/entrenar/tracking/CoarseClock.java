package io.entrenar.tracking;

/** Padding before the clock's value (superclass fields are laid out first). */
abstract class CoarseClockPad0 {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07;
}

abstract class CoarseClockValue extends CoarseClockPad0 {
    volatile long nanos = System.nanoTime();
}

/**
 * A {@link System#nanoTime()} reading the drain thread refreshes on every pass of its loop (at
 * least every millisecond while idle), read by training threads instead of the clock: reading the
 * clock costs a training thread about 20 ns on this kind of machine, more than the rest of
 * logMetric; a plain load of this field costs about one. Points are then stamped with the drain
 * thread's last tick, at most about a millisecond old (more only when the drain thread is starved
 * of CPU), like Log4j's CachedClock. {@code metric.timestamps=precise} reads the clock per point.
 */
final class CoarseClock extends CoarseClockValue {
    @SuppressWarnings("unused")
    private long p10, p11, p12, p13, p14, p15, p16, p17;

    long nanos() {
        return nanos;
    }

    /** Drain thread only. */
    void tick() {
        nanos = System.nanoTime();
    }
}
