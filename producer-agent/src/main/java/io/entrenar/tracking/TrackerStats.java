package io.entrenar.tracking;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a tracker has done so far. Every way an event can fail to reach Kafka has its own counter:
 * nothing is dropped silently.
 *
 * @param pointsLogged metric points accepted by logMetric
 * @param pointsInRing points in the ring not yet taken by the drain thread
 * @param pointsOverflowed points that found the ring full and took the slower overflow path
 * @param batchesFlushed MetricBatch records built
 * @param eventsSent records handed to the Kafka producer
 * @param eventsAcked records acknowledged by the broker
 * @param eventsSpooledWhileDown records kept in the spool because the broker was unreachable
 * @param eventsReplayed spooled records sent later, in order
 * @param eventsSentUnspooled records sent without a spool copy because the spool refused them
 * @param eventsRejected records neither spooled nor deliverable: refused with a logged error
 * @param sendFailures failed sends (each one is retried from the spool)
 * @param spoolErrors spool write, read or housekeeping errors
 * @param outages times the broker was declared unreachable
 * @param backlog records in the spool not yet acknowledged
 * @param spoolBytes bytes in this process's spool
 * @param eventsWrittenBehind records sent from memory and written to the spool afterwards: unacknowledged
 *        after {@code spool.write.behind.ms}, or in flight when a send failed
 * @param producerBufferFull sends the Kafka producer refused because its buffer was full (back-pressure:
 *        the event waits in memory or in the spool and is sent later, in order)
 * @param spoolCorrupt spooled records that could never be read (a bad CRC or layout: disk corruption),
 *        dropped and logged so that the valid records after them are still sent
 */
public record TrackerStats(long pointsLogged, long pointsInRing, long pointsOverflowed, long batchesFlushed, long eventsSent, long eventsAcked,
                           long eventsSpooledWhileDown, long eventsReplayed, long eventsSentUnspooled, long eventsRejected,
                           long sendFailures, long spoolErrors, long outages, long backlog, long spoolBytes,
                           long eventsWrittenBehind, long producerBufferFull, long spoolCorrupt) {

    /** The live counters behind a snapshot. */
    static final class Counters {
        final AtomicLong batchesFlushed = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong acked = new AtomicLong();
        final AtomicLong spooledWhileDown = new AtomicLong();
        final AtomicLong replayed = new AtomicLong();
        final AtomicLong sentUnspooled = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong sendFailures = new AtomicLong();
        final AtomicLong spoolErrors = new AtomicLong();
        final AtomicLong outages = new AtomicLong();
        final AtomicLong writtenBehind = new AtomicLong();
        final AtomicLong bufferFull = new AtomicLong();
        final AtomicLong spoolCorrupt = new AtomicLong();
    }
}
