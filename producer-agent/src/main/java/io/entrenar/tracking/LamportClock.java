package io.entrenar.tracking;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lamport clock of this process (spec 29): ticks on every event, jumps past any timestamp it
 * receives. It saturates at {@link Long#MAX_VALUE} instead of wrapping: a received timestamp is
 * whatever another process (or a forged record) says, and a wrap to a negative time would order
 * every later event of this process before everything it ever emitted.
 */
public final class LamportClock {
    private final AtomicLong time = new AtomicLong();

    /** The timestamp of a new local event. */
    public long tick() {
        return time.updateAndGet(LamportClock::next);
    }

    /** Merges a timestamp seen on a received event, returning this process's new time. */
    public long observe(long received) {
        return time.updateAndGet(current -> next(Math.max(current, received)));
    }

    private static long next(long t) {
        return t == Long.MAX_VALUE ? Long.MAX_VALUE : t + 1;
    }

    public long current() {
        return time.get();
    }
}
