package io.entrenar.tracking;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.entrenar.schemas.Topic;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves events to Kafka in order, with the {@link Spool} as safety net. While the broker answers,
 * an event is sent straight from memory and kept there until acknowledged; one still unacknowledged
 * after {@code spool.write.behind.ms} is written to the spool then (so a crash loses nothing older),
 * and so is everything in flight when a send fails. Without write-behind (0) every event is
 * appended to the spool before it is sent. When the producer's buffer is full, events queue in the
 * spool and are replayed as it frees up.
 * When a send fails or nothing is acknowledged for {@code outage.after.ms}, the shipper stops sending
 * new events, waits for what is in flight, then probes with the oldest unacknowledged event; once
 * that is acknowledged it replays the backlog in order and returns to sending directly.
 * Runs on the drain thread; acknowledgements arrive on the producer's IO thread.
 */
final class Shipper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
    private static final int MAX_IN_FLIGHT = 4096;
    /** Events waiting in memory for room in the producer's buffer; beyond this the spool queues them. */
    private static final long MAX_UNSENT_BYTES = 32L * 1024 * 1024;
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

    /** Events sent from memory and not yet settled, oldest first; drain thread only. */
    private final Pending[] pending = new Pending[MAX_IN_FLIGHT];
    private long pendingHead;
    /** Pending events before this index are spooled (or acknowledged); after it, only in memory. */
    private long pendingSpooled;
    /** Pending events from here on wait for room in the producer's buffer (sent in order). */
    private long pendingSent;
    private long pendingTail;
    private long unsentBytes;
    private final AtomicInteger unsent = new AtomicInteger();
    /** Set by a send's callback, on the sending thread, when the producer's buffer is full. */
    private volatile boolean bufferFull;
    private long writeBehindNanos;
    private boolean unspoolableLogged;

    /** An event on the memory path; its outcome is set on the producer's IO thread. */
    private static final class Pending {
        static final int OPEN = 0;
        static final int ACKED = 1;
        static final int FAILED = 2;
        /** Never sent from memory: handed to the spool's replay (outage, or too much waiting for buffer). */
        static final int MOVED = 3;
        static final long NOT_SPOOLED = -1;
        static final long UNSPOOLABLE = -2;

        final Topic topic;
        final byte[] key;
        final byte[] value;
        final long createdNanos;
        long spoolSeq = NOT_SPOOLED;
        volatile int outcome;

        Pending(Topic topic, byte[] key, byte[] value, long createdNanos) {
            this.topic = topic;
            this.key = key;
            this.value = value;
            this.createdNanos = createdNanos;
        }
    }

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

    /**
     * Sends from memory and spools only events unacknowledged after {@code ms} (or in flight when
     * a send fails); 0 keeps write-ahead spooling of every event.
     */
    Shipper writeBehind(long ms) {
        writeBehindNanos = TimeUnit.MILLISECONDS.toNanos(ms);
        return this;
    }

    /**
     * Sends {@code out} when the broker is healthy, else spools it; refuses it loudly when it can
     * neither be sent nor spooled. Copies {@code out.body()}: the caller may reuse the array.
     */
    void ship(Outbound out) {
        if (writeBehindNanos > 0 && !held && state == State.DIRECT && !failed && cursor == spool.endSeq()) {
            if (pendingTail - pendingHead < MAX_IN_FLIGHT && unsentBytes + out.bodyLength() <= MAX_UNSENT_BYTES) {
                byte[] value = null;
                try {
                    value = schemaIds.frame(out.topic(), out.body(), out.bodyLength());
                } catch (RuntimeException e) {
                    // the registry cannot answer: the spool path below records the failure
                }
                if (value != null) {
                    pending[(int) (pendingTail++ & (MAX_IN_FLIGHT - 1))] = new Pending(out.topic(), out.key(), value, System.nanoTime());
                    unsentBytes += value.length;
                    unsent.incrementAndGet();
                    sendUnsent();
                    return;
                }
            }
            // The producer has been refusing for a while: the spool queues the rest, in order.
            moveUnsentToSpool();
            state = State.BACKLOG;
        }
        // Whatever is only in memory goes to the spool first, so the spool keeps the events' order.
        spoolPending(System.nanoTime(), true);
        long seq;
        try {
            seq = spool.append(out);
        } catch (IOException e) {
            shipUnspooled(out, e);
            return;
        }
        if (state == State.DIRECT && cursor == seq && !failed) {
            if (send(out, seq)) {
                cursor = seq + 1;
            } else if (!failed) {
                state = State.BACKLOG; // the producer's buffer is full: replay sends it when there is room
            }
        } else {
            counters.spooledWhileDown.incrementAndGet();
        }
    }

    /** Sends waiting memory-path events in order until the producer refuses one for lack of buffer. */
    private void sendUnsent() {
        while (pendingSent < pendingTail && !failed) {
            Pending p = pending[(int) (pendingSent & (MAX_IN_FLIGHT - 1))];
            if (!sendPending(p)) {
                return;
            }
            pendingSent++;
            unsentBytes -= p.value.length;
            unsent.decrementAndGet();
        }
    }

    private boolean sendPending(Pending p) {
        long now = System.nanoTime();
        if (inFlight.getAndIncrement() == 0) {
            lastProgressNanos.set(now);
        }
        bufferFull = false;
        try {
            // a full buffer is reported to the callback on this thread, inside send()
            producer.send(new ProducerRecord<>(p.topic.topicName(), p.key, p.value), (md, e) -> {
                if (e == null) {
                    p.outcome = Pending.ACKED;
                    counters.acked.incrementAndGet();
                    lastProgressNanos.set(System.nanoTime());
                } else if (e instanceof BufferExhaustedException) {
                    bufferFull = true;
                    counters.bufferFull.incrementAndGet();
                } else {
                    p.outcome = Pending.FAILED;
                    fail(e);
                }
                inFlight.decrementAndGet();
            });
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            if (e instanceof BufferExhaustedException) {
                counters.bufferFull.incrementAndGet();
            } else {
                fail(e);
            }
            return false;
        }
        if (bufferFull) {
            return false;
        }
        counters.sent.incrementAndGet();
        return true;
    }

    /**
     * Settles the memory path: frees acknowledged events (acknowledging their spool copy, if any)
     * and spools the ones unacknowledged for longer than the write-behind delay, or all of them.
     */
    private void settlePending(long now) {
        if (failed) {
            moveUnsentToSpool();
        }
        spoolPending(now, failed);
        while (pendingHead < pendingSent) {
            int i = (int) (pendingHead & (MAX_IN_FLIGHT - 1));
            Pending p = pending[i];
            int outcome = p.outcome;
            if (outcome == Pending.OPEN) {
                break;
            }
            if (outcome == Pending.ACKED) {
                if (p.spoolSeq >= 0) {
                    spool.ack(p.spoolSeq);
                }
            } else if (p.spoolSeq == Pending.NOT_SPOOLED) {
                break; // failed after the spooling pass above: the next pass spools it
            } else if (p.spoolSeq == Pending.UNSPOOLABLE) {
                long n = counters.rejected.incrementAndGet();
                LOG.error("entrenar: LOST a {} event: it could not be sent and the spool could not store it ({} so far)",
                        p.topic.topicName(), n);
            }
            pending[i] = null;
            pendingHead++;
        }
        if (pendingSpooled < pendingHead) {
            pendingSpooled = pendingHead;
        }
    }

    /**
     * Hands every not-yet-sent memory-path event to the spool's replay, which then resends from
     * the first of them: after a failure, or when the producer's buffer stays full.
     */
    private void moveUnsentToSpool() {
        if (pendingSent == pendingTail) {
            return;
        }
        spoolPending(System.nanoTime(), true);
        long first = -1;
        for (long k = pendingSent; k < pendingTail; k++) {
            Pending p = pending[(int) (k & (MAX_IN_FLIGHT - 1))];
            p.outcome = Pending.MOVED;
            if (first < 0 && p.spoolSeq >= 0) {
                first = p.spoolSeq;
            }
        }
        pendingSent = pendingTail;
        unsentBytes = 0;
        unsent.set(0);
        if (first >= 0 && first < cursor) {
            cursor = first;
        }
    }

    private void spoolPending(long now, boolean all) {
        while (pendingSpooled < pendingTail) {
            Pending p = pending[(int) (pendingSpooled & (MAX_IN_FLIGHT - 1))];
            int outcome = p.outcome;
            if (outcome == Pending.OPEN && !all && now - p.createdNanos < writeBehindNanos) {
                return;
            }
            if (outcome != Pending.ACKED) {
                try {
                    long seq = spool.append(p.topic, p.key, p.value, SchemaIds.HEADER, p.value.length - SchemaIds.HEADER);
                    p.spoolSeq = seq;
                    if (cursor == seq) {
                        // owned by the memory path (sent, or sent when there is buffer): replay starts after it
                        cursor = seq + 1;
                    }
                    counters.writtenBehind.incrementAndGet();
                } catch (IOException e) {
                    p.spoolSeq = Pending.UNSPOOLABLE;
                    counters.spoolErrors.incrementAndGet();
                    if (!unspoolableLogged) {
                        unspoolableLogged = true;
                        LOG.error("entrenar spool {}: cannot store in-flight events ({}); they are lost if their send fails",
                                spool.dir(), e.getMessage());
                    }
                }
            }
            pendingSpooled++;
        }
    }

    /** Advances replay, detects outages and recoveries, frees acknowledged segments, fsyncs. */
    void pump() {
        long now = System.nanoTime();
        if (held) {
            housekeep();
            return;
        }
        if (state == State.DIRECT && !failed) {
            sendUnsent();
        }
        settlePending(now);
        if (state != State.OUTAGE && (failed || (inFlight.get() > 0 && now - lastProgressNanos.get() > outageAfterNanos))) {
            moveUnsentToSpool();
            spoolPending(now, true);
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

    /** True when every event has been acknowledged (none in flight, none failed, none left in the spool). */
    boolean drained() {
        return inFlight.get() == 0 && unsent.get() == 0 && !failed && spool.fullyAcked();
    }

    State state() {
        return state;
    }

    /**
     * The broker is taking events but slower than they come: half the in-memory window is waiting
     * for room in the producer's buffer. New batches would only be queued through the spool and read
     * back, so the drain thread leaves points in the rings for now (as a blocking send would leave
     * them with the caller). Not during an outage: then the spool is where events must go.
     */
    boolean congested() {
        return state == State.DIRECT && !failed && !held
                && (unsentBytes > MAX_UNSENT_BYTES / 2 || pendingTail - pendingHead > MAX_IN_FLIGHT / 2);
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
        } catch (SpoolCorruptException e) {
            // It will never read back: drop it, say so, and go on with the valid records after it.
            counters.spoolCorrupt.incrementAndGet();
            LOG.error("entrenar spool {}: record {} is corrupt and is dropped: {}", spool.dir(), seq, e.getMessage());
            spool.ack(seq);
            return true;
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
            value = schemaIds.frame(out.topic(), out.body(), out.bodyLength());
        } catch (RuntimeException e) {
            fail(e);
            return false;
        }
        if (inFlight.getAndIncrement() == 0) {
            lastProgressNanos.set(System.nanoTime());
        }
        try {
            bufferFull = false;
            producer.send(new ProducerRecord<>(out.topic().topicName(), out.key(), value), (md, e) -> {
                if (e == null) {
                    spool.ack(seq);
                    counters.acked.incrementAndGet();
                    lastProgressNanos.set(System.nanoTime());
                } else if (e instanceof BufferExhaustedException) {
                    // back-pressure, not an outage: replay sends it when there is room
                    bufferFull = true;
                    counters.bufferFull.incrementAndGet();
                } else {
                    fail(e);
                }
                inFlight.decrementAndGet();
            });
            if (bufferFull) {
                return false;
            }
            counters.sent.incrementAndGet();
            return true;
        } catch (BufferExhaustedException e) {
            // back-pressure, not an outage: the event stays in the spool and is sent when there is room
            counters.bufferFull.incrementAndGet();
            inFlight.decrementAndGet();
            return false;
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
                value = schemaIds.frame(out.topic(), out.body(), out.bodyLength());
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
