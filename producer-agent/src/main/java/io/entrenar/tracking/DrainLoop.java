package io.entrenar.tracking;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracker's one background thread: drains the metric ring into batches, ships lifecycle
 * events after the metrics logged before them, and pumps the shippers (replay, outage detection,
 * spool housekeeping). Nothing it does can throw into training code: failures are counted and logged.
 */
final class DrainLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DrainLoop.class);
    private static final long RETIRE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * Fewer points than this in a pass and the thread parks until the next tick: draining a trickle
     * point by point would pull the training threads' cache lines over to this core after every
     * write; taking them about once a millisecond moves them in bulk.
     */
    private static final int BUSY_PASS_POINTS = 1024;
    /** Points drained in one pass before the loop turns to commands and the shippers again. */
    private static final int MAX_PASS_POINTS = 1 << 18;
    /**
     * Longest sleep when there is nothing to do (no points, no commands, nothing in flight or
     * spooled). A park costs this thread about 27 µs of CPU on a 2-core VM, so a 1 ms tick while
     * idle is 2 % of a core taken from training; the sleep doubles up to this bound instead, which
     * also bounds the extra delay of the first point after a quiet spell.
     */
    private static final long MAX_IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(16);

    private final PointRings rings;
    private final CoarseClock coarseClock;
    private final MetricBatcher batcher;
    private final Shipper own;
    private final List<Shipper> orphans;
    private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
    private final long idleNanos;
    /** Points drained from a ring between two looks at the shipper's congestion. */
    private final int drainStep;
    /** Points that may wait in the rings while the shipper is congested. */
    private final long maxWaitingPoints;
    private final TrackerStats.Counters counters;
    private volatile boolean stopping;
    private final org.apache.kafka.clients.producer.Producer<byte[], byte[]> producer;
    private volatile Thread thread;

    /** A command waits for its barrier: the points logged before it, in every ring. */
    private interface Command {
        Barrier barrier();
    }

    private record Ship(int runIndex, Outbound out, Barrier barrier) implements Command {
    }

    private record Flush(CompletableFuture<Void> done, Barrier barrier) implements Command {
    }

    /**
     * How many points each ring had logged when a command was issued. The command is handled once
     * the drain has handed all of them to the batcher, at the pace the broker allows: draining them
     * at once would push a congested broker's backlog through the spool.
     */
    private record Barrier(PointRing[] rings, long[] logged) {
        static Barrier now(PointRing[] rings) {
            long[] logged = new long[rings.length];
            for (int i = 0; i < rings.length; i++) {
                logged[i] = rings[i].logged();
            }
            return new Barrier(rings, logged);
        }

        boolean passed() {
            for (int i = 0; i < rings.length; i++) {
                if (rings[i].drained() < logged[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    DrainLoop(PointRings rings, CoarseClock coarseClock, MetricBatcher batcher, Shipper own, List<Shipper> orphans, long flushIntervalNanos,
              long maxWaitingPoints, TrackerStats.Counters counters, org.apache.kafka.clients.producer.Producer<byte[], byte[]> producer) {
        this.producer = producer;
        this.rings = rings;
        this.coarseClock = coarseClock;
        this.batcher = batcher;
        this.own = own;
        this.orphans = new ArrayList<>(orphans);
        // at most 64 batches between two looks at the shipper's congestion, far below the 2,048 events
        // its window still holds once congested
        this.drainStep = Math.min(4096, 64 * batcher.maxPoints());
        this.maxWaitingPoints = maxWaitingPoints;
        this.idleNanos = Math.max(50_000L, Math.min(flushIntervalNanos / 4, 1_000_000L));
        this.counters = counters;
    }

    void start(String name) {
        Thread t = new Thread(this, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Ships an event after every metric point of its run logged before it. */
    void ship(int runIndex, Outbound out) {
        commands.add(new Ship(runIndex, out, Barrier.now(rings.all())));
        LockSupport.unpark(thread);
    }

    /** Completes when everything logged before the call has been batched and handed to the shipper. */
    CompletableFuture<Void> flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        commands.add(new Flush(done, Barrier.now(rings.all())));
        LockSupport.unpark(thread);
        return done;
    }

    boolean drained() {
        if (!own.drained()) {
            return false;
        }
        synchronized (orphans) {
            for (Shipper s : orphans) {
                if (!s.drained()) {
                    return false;
                }
            }
        }
        return true;
    }

    long backlog() {
        long b = own.backlog();
        synchronized (orphans) {
            for (Shipper s : orphans) {
                b += s.backlog();
            }
        }
        return b;
    }

    Shipper.State state() {
        return own.state();
    }

    /** Stops the thread after a final drain; waits at most {@code timeoutMs}. */
    void stop(long timeoutMs) throws InterruptedException {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            t.join(timeoutMs);
        }
    }

    private static final io.entrenar.schemas.Topic[] OUR_TOPICS = {io.entrenar.schemas.Topic.RUNS,
            io.entrenar.schemas.Topic.METRICS, io.entrenar.schemas.Topic.SPANS, io.entrenar.schemas.Topic.SYSCALLS,
            io.entrenar.schemas.Topic.RESOURCES, io.entrenar.schemas.Topic.FAILURES, io.entrenar.schemas.Topic.ARTIFACTS,
            // the control listener dead-letters refused commands through the same producer
            io.entrenar.schemas.Topic.DLQ};
    private final long warmUpDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    private boolean warm;

    /**
     * Asks for metadata of every topic we write, without waiting (max.block.ms is 0), so first sends
     * do not fail; meanwhile the shipper only spools. Gives up after 3 s: the outage logic takes over.
     */
    private void warmUpStep() {
        boolean all = true;
        for (io.entrenar.schemas.Topic t : OUR_TOPICS) {
            try {
                all &= !producer.partitionsFor(t.topicName()).isEmpty();
            } catch (RuntimeException e) {
                all = false;
            }
        }
        if (all || System.nanoTime() > warmUpDeadline) {
            warm = true;
            own.release();
        }
    }

    @Override
    public void run() {
        while (true) {
            boolean finalPass = stopping;
            coarseClock.tick();
            try {
                int work = drainPoints(finalPass);
                Command c;
                // in order, each once every point logged before it is batched: a flush must not return,
                // a run's end must not be shipped, while its points wait behind a congested broker
                while ((c = commands.peek()) != null && (finalPass || c.barrier().passed())) {
                    commands.poll();
                    handle(c);
                    work += BUSY_PASS_POINTS;
                }
                long now = System.nanoTime();
                if (!warm) {
                    warmUpStep();
                }
                batcher.flushDue(now, finalPass);
                pumpAll();
                retireDeadThreads(now);
                if (finalPass) {
                    return;
                }
                if (work < BUSY_PASS_POINTS) {
                    park(work == 0 && quiescent());
                }
            } catch (Throwable t) {
                counters.spoolErrors.incrementAndGet();
                LOG.error("entrenar drain thread: unexpected error, continuing", t);
                if (finalPass) {
                    return;
                }
            }
        }
    }

    private long nextRetireNanos = System.nanoTime() + RETIRE_EVERY_NANOS;
    private long parkNanos;

    /** Ticks every {@code idleNanos} while there is work; backs off to {@link #MAX_IDLE_PARK_NANOS} while there is none. */
    private void park(boolean idle) {
        parkNanos = idle ? Math.min(Math.max(parkNanos, idleNanos) * 2, MAX_IDLE_PARK_NANOS) : idleNanos;
        if (parkNanos > idleNanos) {
            coarseClock.stop();
        }
        LockSupport.parkNanos(this, parkNanos);
    }

    /** No command waiting, nothing buffered, in flight or being replayed: only a new point or command can make work. */
    private boolean quiescent() {
        if (!warm || !commands.isEmpty() || !batcher.isEmpty() || !own.drained()) {
            return false;
        }
        synchronized (orphans) {
            return orphans.isEmpty();
        }
    }

    /**
     * Drains every ring in steps, stopping while the shipper is congested: one unbounded pass over a
     * full ring could build more batches than the shipper's window holds, which would send them
     * through the spool. Only while few enough points wait, though: past that bound the spool's
     * disk takes them, not the training JVM's heap. With {@code all} (the final pass at close)
     * every ring is drained whatever the congestion.
     */
    private int drainPoints(boolean all) {
        PointRing[] rs = rings.all();
        if (all) {
            return drainUpTo(Barrier.now(rs), batcher, drainStep);
        }
        return drainRoundRobin(rs, batcher, drainStep, MAX_PASS_POINTS,
                () -> own.congested() && rings.size() < maxWaitingPoints);
    }

    /**
     * One step of {@code step} points from each ring in turn, round after round, until no ring has a
     * full step left, {@code maxPoints} are drained or {@code stop} holds: a thread that logs faster
     * than the drain cannot keep the other threads' points (and the commands waiting for them, and
     * the shippers' outage and replay work) waiting behind its own.
     */
    static int drainRoundRobin(PointRing[] rings, PointRing.PointSink sink, int step, int maxPoints, BooleanSupplier stop) {
        int total = 0;
        boolean more = true;
        while (more && total < maxPoints) {
            more = false;
            for (PointRing r : rings) {
                if (stop.getAsBoolean()) {
                    return total;
                }
                int n = r.drain(sink, step);
                total += n;
                more |= n == step;
            }
        }
        return total;
    }

    /** Drains each ring up to what it had logged at {@code barrier}: bounded even while threads keep logging. */
    private static int drainUpTo(Barrier barrier, PointRing.PointSink sink, int step) {
        int total = 0;
        for (int i = 0; i < barrier.rings().length; i++) {
            PointRing r = barrier.rings()[i];
            long left;
            while ((left = barrier.logged()[i] - r.drained()) > 0) {
                int n = r.drain(sink, (int) Math.min(step, left));
                if (n == 0) {
                    break;
                }
                total += n;
            }
        }
        return total;
    }

    private void retireDeadThreads(long now) {
        if (now >= nextRetireNanos) {
            nextRetireNanos = now + RETIRE_EVERY_NANOS;
            rings.retireDead();
        }
    }

    private void handle(Command c) {
        if (c instanceof Ship ship) {
            if (ship.runIndex() >= 0) {
                batcher.flushRun(ship.runIndex());
            }
            own.ship(ship.out());
        } else if (c instanceof Flush flush) {
            batcher.flushDue(System.nanoTime(), true);
            flush.done().complete(null);
        }
    }

    private void pumpAll() {
        own.pump();
        synchronized (orphans) {
            for (int i = orphans.size() - 1; i >= 0; i--) {
                Shipper s = orphans.get(i);
                s.pump();
                if (s.drained()) {
                    try {
                        s.close();
                        LOG.info("entrenar: replayed the spool of a previous process, {}", s.spool().dir());
                    } catch (IOException e) {
                        LOG.warn("entrenar: cannot remove replayed spool {}: {}", s.spool().dir(), e.toString());
                    }
                    orphans.remove(i);
                }
            }
        }
    }

    static long millisToNanos(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
