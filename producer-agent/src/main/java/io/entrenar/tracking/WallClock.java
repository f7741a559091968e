package io.entrenar.tracking;

import java.time.Instant;

/**
 * Microsecond wall-clock time derived from {@link System#nanoTime()}: the training thread records
 * only the cheap monotonic reading, the drain thread converts it.
 */
final class WallClock {
    private final long baseMicros;
    private final long baseNanos;

    WallClock() {
        Instant now = Instant.now();
        baseNanos = System.nanoTime();
        baseMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    long microsAt(long nanoTime) {
        return baseMicros + (nanoTime - baseNanos) / 1_000;
    }

    /** The inverse of {@link #microsAt}: the nanoTime reading that converts to {@code epochMicros}. */
    long nanoTimeAt(long epochMicros) {
        return baseNanos + (epochMicros - baseMicros) * 1_000;
    }

    long nowMicros() {
        return microsAt(System.nanoTime());
    }
}
