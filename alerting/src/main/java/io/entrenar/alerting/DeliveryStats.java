package io.entrenar.alerting;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the alerting app, read by tests and by the metrics endpoint. */
public final class DeliveryStats {
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong duplicatesSkipped = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong dead = new AtomicLong();
    final AtomicLong undecodable = new AtomicLong();
    final AtomicLong stopsIssued = new AtomicLong();

    public long accepted() {
        return accepted.get();
    }

    public long duplicatesSkipped() {
        return duplicatesSkipped.get();
    }

    public long delivered() {
        return delivered.get();
    }

    public long retries() {
        return retries.get();
    }

    public long dead() {
        return dead.get();
    }

    public long undecodable() {
        return undecodable.get();
    }

    public long stopsIssued() {
        return stopsIssued.get();
    }
}
