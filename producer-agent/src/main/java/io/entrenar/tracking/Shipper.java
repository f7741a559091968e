package io.entrenar.tracking;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the events of one {@link Spool} to Kafka in spool order. Every event is appended to the
 * spool first; while the broker answers, it is sent at once and its segment freed when acknowledged.
 * When a send fails or nothing is acknowledged for {@code outage.after.ms}, the shipper stops sending
 * new events, waits for what is in flight, then probes with the oldest unacknowledged event; once
 * that is acknowledged it replays the backlog in order and returns to sending directly.
 * Runs on the drain thread; acknowledgements arrive on the producer's IO thread.
 */
final class Shipper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
    private static final int MAX_IN_FLIGHT = 4096;
    private static final long PROBE_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long ROLL_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    enum State { DIRECT, BACKLOG, OUTAGE }

    private final Spool spool;
    private final Producer<byte[], byte[]> producer;
    private final SchemaIds schemaIds;
    private final TrackerStats.Counters counters;
    private final long outageAfterNanos;
    private final long fsyncIntervalNanos;

    private volatile State state;
    private long cursor;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lastProgressNanos = new AtomicLong(System.nanoTime());
    private volatile boolean failed;
    private volatile Exception lastFailure;
    private long nextProbeNanos;
    private long probeSeq = -1;
    private volatile boolean held;

    Shipper(Spool spool, Producer<byte[], byte[]> producer, SchemaIds schemaIds, TrackerStats.Counters counters,
            long outageAfterMs, long fsyncIntervalMs) {
        this.spool = spool;
        this.producer = producer;
        this.schemaIds = schemaIds;
        this.counters = counters;
        this.outageAfterNanos = TimeUnit.MILLISECONDS.toNanos(outageAfterMs);
        this.fsyncIntervalNanos = TimeUnit.MILLISECONDS.toNanos(fsyncIntervalMs);
        this.cursor = spool.firstSeq();
        // A spool with records from an earlier life starts by probing: the broker may be gone.
        this.state = spool.endSeq() > cursor ? State.OUTAGE : State.DIRECT;
    }

    /** A shipper that only spools until {@link #release()}: used while producer metadata is fetched. */
    Shipper held() {
        held = true;
        state = State.BACKLOG;
        return this;
    }

    void release() {
        held = false;
    }

    /** Spools {@code out} and sends it when the broker is healthy; refuses it loudly when the spool is full. */
    void ship(Outbound out) {
        long seq;
        try {
            seq = spool.append(out);
        } catch (IOException e) {
            shipUnspooled(out, e);
            return;
        }
        if (state == State.DIRECT && cursor == seq && !failed) {
            send(out, seq);
            cursor = seq + 1;
        } else {
            counters.spooledWhileDown.incrementAndGet();
        }
    }

    /** Advances replay, detects outages and recoveries, frees acknowledged segments, fsyncs. */
    void pump() {
        long now = System.nanoTime();
        if (held) {
            housekeep();
            return;
        }
        if (state != State.OUTAGE && (failed || (inFlight.get() > 0 && now - lastProgressNanos.get() > outageAfterNanos))) {
            enterOutage(now);
        }
        if (state == State.OUTAGE) {
            probe(now);
        }
        if (state == State.BACKLOG) {
            replay();
        }
        housekeep();
    }

    private void housekeep() {
        try {
            spool.housekeep(Math.min(cursor, spool.lowestUnacked()), ROLL_AFTER_NANOS);
            spool.maybeFsync(fsyncIntervalNanos);
        } catch (IOException e) {
            counters.spoolErrors.incrementAndGet();
            LOG.error("entrenar spool {}: housekeeping failed: {}", spool.dir(), e.toString());
        }
    }

    /** True when every spooled event has been acknowledged. */
    boolean drained() {
        return inFlight.get() == 0 && spool.fullyAcked();
    }

    State state() {
        return state;
    }

    Spool spool() {
        return spool;
    }

    long backlog() {
        return spool.endSeq() - spool.lowestUnacked();
    }

    @Override
    public void close() throws IOException {
        spool.close();
    }

    private void enterOutage(long now) {
        state = State.OUTAGE;
        nextProbeNanos = now;
        counters.outages.incrementAndGet();
        Exception f = lastFailure;
        LOG.warn("entrenar: broker unreachable ({}); events are kept in the spool {} and replayed when it answers",
                f == null ? "no acknowledgement for " + TimeUnit.NANOSECONDS.toMillis(outageAfterNanos) + " ms" : f.toString(),
                spool.dir());
    }

    private void probe(long now) {
        if (inFlight.get() > 0 || now < nextProbeNanos) {
            return;
        }
        if (probeSeq >= 0 && spool.isAcked(probeSeq) && !failed) {
            probeSeq = -1;
            state = State.BACKLOG;
            LOG.info("entrenar: broker answers again; replaying {} spooled events from {}", backlog(), spool.dir());
            return;
        }
        failed = false;
        cursor = spool.lowestUnacked();
        if (cursor >= spool.endSeq()) {
            probeSeq = -1;
            state = State.DIRECT;
            return;
        }
        probeSeq = cursor;
        nextProbeNanos = now + PROBE_BACKOFF_NANOS;
        sendFromSpool(cursor);
    }

    private void replay() {
        while (!failed && inFlight.get() < MAX_IN_FLIGHT && cursor < spool.endSeq()) {
            if (!spool.isAcked(cursor)) {
                if (!sendFromSpool(cursor)) {
                    return;
                }
                counters.replayed.incrementAndGet();
            }
            cursor++;
        }
        if (!failed && cursor >= spool.endSeq()) {
            state = State.DIRECT;
        }
    }

    private boolean sendFromSpool(long seq) {
        Outbound out;
        try {
            out = spool.read(seq);
        } catch (IOException e) {
            counters.spoolErrors.incrementAndGet();
            LOG.error("entrenar spool {}: cannot read record {}: {}; it stays in the spool", spool.dir(), seq, e.toString());
            failed = true;
            return false;
        }
        return send(out, seq);
    }

    private boolean send(Outbound out, long seq) {
        byte[] value;
        try {
            value = schemaIds.frame(out.topic(), out.body());
        } catch (RuntimeException e) {
            fail(e);
            return false;
        }
        if (inFlight.getAndIncrement() == 0) {
            lastProgressNanos.set(System.nanoTime());
        }
        try {
            producer.send(new ProducerRecord<>(out.topic().topicName(), out.key(), value), (md, e) -> {
                if (e == null) {
                    spool.ack(seq);
                    counters.acked.incrementAndGet();
                    lastProgressNanos.set(System.nanoTime());
                } else {
                    fail(e);
                }
                inFlight.decrementAndGet();
            });
            counters.sent.incrementAndGet();
            return true;
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            fail(e);
            return false;
        }
    }

    private void fail(Exception e) {
        counters.sendFailures.incrementAndGet();
        lastFailure = e;
        failed = true;
    }

    /** The spool refused the event (disk budget or disk full): send without a safety net, or refuse loudly. */
    private void shipUnspooled(Outbound out, IOException why) {
        counters.spoolErrors.incrementAndGet();
        if (state == State.DIRECT && !failed && cursor == spool.endSeq()) {
            byte[] value;
            try {
                value = schemaIds.frame(out.topic(), out.body());
                producer.send(new ProducerRecord<>(out.topic().topicName(), out.key(), value), (md, e) -> {
                    if (e != null) {
                        counters.rejected.incrementAndGet();
                        LOG.error("entrenar: LOST an unspooled {} event after the spool refused it ({}): {}",
                                out.topic().topicName(), why.getMessage(), e.toString());
                    }
                });
                counters.sentUnspooled.incrementAndGet();
                return;
            } catch (RuntimeException e) {
                // fall through to refusal
            }
        }
        long n = counters.rejected.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            LOG.error("entrenar: REFUSED {} event(s) so far: the spool cannot store them ({}) and the broker is not reachable; "
                    + "training continues, these events are not recorded", n, why.getMessage());
        }
    }
}
