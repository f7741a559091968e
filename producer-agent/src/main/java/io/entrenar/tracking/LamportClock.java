package io.entrenar.tracking;

import java.util.concurrent.atomic.AtomicLong;

/** Lamport clock of this process (spec 29): ticks on every event, jumps past any timestamp it receives. */
public final class LamportClock {
    private final AtomicLong time = new AtomicLong();

    /** The timestamp of a new local event. */
    public long tick() {
        return time.incrementAndGet();
    }

    /** Merges a timestamp seen on a received event, returning this process's new time. */
    public long observe(long received) {
        long next;
        long current;
        do {
            current = time.get();
            next = Math.max(current, received) + 1;
        } while (!time.compareAndSet(current, next));
        return next;
    }

    public long current() {
        return time.get();
    }
}
