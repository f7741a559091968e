package io.entrenar.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the tracking API: owns the Kafka producer, the spool, the metric ring and the one
 * background thread. One per process is the norm; {@link #close()} flushes or spools everything.
 *
 * <pre>{@code
 * try (Tracker tracker = Tracker.start(new TrackerConfig(Map.of("bootstrap.servers", "localhost:9092")))) {
 *     Run run = tracker.experiment("digits").run("lr-0.1").param("lr", 0.1).start();
 *     for (long step = 0; step < steps; step++) run.logMetric("loss", loss, step);
 *     run.finish(Map.of("accuracy", 0.97));
 * }
 * }</pre>
 */
public final class Tracker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);
    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();
    private static final long CLOSE_TIMEOUT_MS = 10_000;

    private final TrackerConfig config;
    private final String producerId;
    private final PointRings rings;
    private final CoarseClock coarseClock = new CoarseClock();
    private final boolean preciseTimestamps;
    private final MetricNames names = new MetricNames(100_000);
    private final RunTable runs = new RunTable();
    private final LamportClock lamport = new LamportClock();
    private final WallClock wallClock = new WallClock();
    private final TrackerStats.Counters counters = new TrackerStats.Counters();
    private final SchemaRegistryClient registry;
    private final Producer<byte[], byte[]> producer;
    private final Shipper own;
    private final DrainLoop drain;
    private final Thread shutdownHook;
    private final ControlListener control;
    private volatile boolean closed;

    private Tracker(TrackerConfig config) throws IOException {
        this.config = config;
        this.producerId = config.producerId();
        this.rings = new PointRings(config.ringCapacity());
        this.preciseTimestamps = config.preciseTimestamps();
        Path root = config.spoolDir();
        // the sequence keeps two trackers of one JVM (the agent's and the program's) apart when they
        // start in the same millisecond: the second would find the first's lock
        Path ownDir = root.resolve(sanitize(producerId) + "-" + System.currentTimeMillis() + "-" + INSTANCES.incrementAndGet());
        Spool spool = Spool.create(ownDir, config.fsyncPolicy(), config.segmentBytes(), config.spoolMaxBytes());
        this.registry = CachedSchemaRegistryClient.fromConfigs(config.registryProperties());
        this.producer = config.clients().producer("events", config.producerOverrides(), new ByteArraySerializer(), new ByteArraySerializer());
        SchemaIds ids = new SchemaIds(registry);
        this.own = new Shipper(spool, producer, ids, counters, config.outageAfterMs(), config.fsyncIntervalMs())
                .writeBehind(config.spoolWriteBehindMs()).held();
        List<Shipper> orphans = new ArrayList<>();
        for (Path dir : Spool.orphans(root, ownDir)) {
            Optional<Spool> orphan = Spool.open(dir, config.fsyncPolicy(), config.segmentBytes(), Long.MAX_VALUE);
            if (orphan.isPresent()) {
                LOG.info("entrenar: found the spool of a dead process, {} ({} records); replaying it",
                        dir, orphan.get().endSeq() - orphan.get().firstSeq());
                orphans.add(new Shipper(orphan.get(), producer, ids, counters, config.outageAfterMs(), config.fsyncIntervalMs()));
            }
        }
        this.control = new ControlListener(config, registry, lamport, producer);
        MetricBatcher batcher = new MetricBatcher(runs, names, lamport, wallClock, producerId, config.flushMaxPoints(),
                TimeUnit.MILLISECONDS.toNanos(config.flushIntervalMs()), own::ship, counters);
        this.drain = new DrainLoop(rings, coarseClock, batcher, own, orphans, TimeUnit.MILLISECONDS.toNanos(config.flushIntervalMs()),
                config.congestionMaxWaitingPoints(), counters, producer);
        drain.start("entrenar-drain");
        this.shutdownHook = new Thread(this::closeQuietly, "entrenar-shutdown");
        if (config.shutdownHook()) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Starts a tracker: opens the spool (replaying those of dead processes), the producer and the drain thread. */
    public static Tracker start(TrackerConfig config) {
        try {
            return new Tracker(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the entrenar tracker: " + e.getMessage(), e);
        }
    }

    /** Convenience for {@code start(new TrackerConfig(configs))}. */
    public static Tracker start(Map<String, ?> configs) {
        return start(new TrackerConfig(configs));
    }

    /** The experiment of this name; its id is derived from the name, so every process agrees on it. */
    public Experiment experiment(String name) {
        return new Experiment(this, name);
    }

    /**
     * An experiment whose id was assigned elsewhere (the MLflow API's registry, where an experiment
     * keeps its id when it is renamed, and MLflow's "Default" is id 0).
     */
    public Experiment experiment(String id, String name) {
        return new Experiment(this, Validation.name("experiment id", id), name);
    }

    /**
     * A handle on a run that was started earlier, by this service before a restart or by another
     * process: nothing is emitted until it is used. Logging to it continues the run's record.
     *
     * @param startMicros when the run started (its duration at the end counts from there)
     */
    public Run attach(String runId, String runName, long startMicros) {
        Validation.name("run id", runId);
        return new Run(this, runId, Validation.name("run name", runName), startMicros, RunFootprint.start(config.footprint(), null),
                io.entrenar.events.RunStatus.RUNNING);
    }

    /** Lamport clock of this process (spec 29). */
    public LamportClock lamport() {
        return lamport;
    }

    public String producerId() {
        return producerId;
    }

    /** This tracker's own spool directory under {@code spool.dir}. */
    Path spoolDirectory() {
        return own.spool().dir();
    }

    public TrackerStats stats() {
        return new TrackerStats(rings.logged(), rings.size(), rings.overflowed(), counters.batchesFlushed.get(), counters.sent.get(),
                counters.acked.get(), counters.spooledWhileDown.get(), counters.replayed.get(), counters.sentUnspooled.get(),
                counters.rejected.get(), counters.sendFailures.get(), counters.spoolErrors.get(), counters.outages.get(),
                drain.backlog(), own.spool().bytes(), counters.writtenBehind.get(), counters.bufferFull.get(), counters.spoolCorrupt.get());
    }

    /**
     * Waits until everything logged so far is acknowledged by the broker (including replays of dead
     * processes' spools). Returns false on timeout; nothing is lost then, it stays in the spool.
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!handedToShipper(timeout)) {
                return false;
            }
            while (!drain.drained()) {
                // at close, an unreachable broker is not waited for: the spool keeps everything
                if (System.nanoTime() > deadline || (closed && drain.state() == Shipper.State.OUTAGE)) {
                    return false;
                }
                Thread.sleep(2);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits until everything logged or emitted before the call is durable: appended to the spool
     * (with {@code spool.write.behind.ms=0}, every event is, before it is sent) or else acknowledged
     * by the broker. A service that answers a client only once its events are safe (the MLflow API)
     * calls this before answering; with the spool written first it costs a hand-over to the drain
     * thread, not a broker round trip. Returns false on timeout.
     */
    public boolean sync(Duration timeout) {
        if (config.spoolWriteBehindMs() > 0) {
            return flush(timeout);
        }
        try {
            return handedToShipper(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the drain thread has batched everything logged so far and handed it to the shipper. */
    private boolean handedToShipper(Duration timeout) throws InterruptedException {
        try {
            drain.flush().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Flushes what the broker takes within the close timeout, spools the rest, and stops. */
    @Override
    public void close() {
        closeQuietly();
        try {
            if (config.shutdownHook()) {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
    }

    private synchronized void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_TIMEOUT_MS);
        flush(Duration.ofMillis(CLOSE_TIMEOUT_MS));
        try {
            drain.stop(CLOSE_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        control.close();
        producer.close(Duration.ofMillis(Math.min(left, 2000)));
        try {
            own.close();
        } catch (IOException e) {
            LOG.error("entrenar: cannot close the spool {}: {}", own.spool().dir(), e.toString());
        }
        registry.close();
        TrackerStats s = stats();
        if (s.backlog() > 0) {
            LOG.warn("entrenar: {} events not acknowledged at close stay in {} and are replayed by the next start "
                    + "or by `entrenar spool replay`", s.backlog(), own.spool().dir());
        }
    }

    // ---- used by Run ----

    int registerRun(String runId) {
        return runs.add(runId);
    }

    void listenForControl(Run run) {
        control.register(run);
    }

    /** Control records for this tracker's runs that it did not obey (unsigned, forged, stale, replayed, ...). */
    public long controlRefused() {
        return control.refused();
    }

    /**
     * True once the control listener reads the control topic. Commands sent since the tracker started
     * reach its runs either way; this says they are being read now.
     */
    public boolean controlReady() {
        return control.ready();
    }

    int metricId(String name) {
        return names.idOf(name);
    }

    /** The calling thread's ring of this tracker. */
    PointRing ringOfCurrentThread() {
        return rings.current();
    }

    /** The hot path: no lock, no CAS, no allocation unless the thread's ring is full. */
    void log(PointRing ring, int runIndex, int nameId, double value, long step) {
        ring.log(runIndex, nameId, step, value, preciseTimestamps ? System.nanoTime() : coarseClock.nanos());
    }

    /** A point whose time the caller knows (a client that timestamps its own points). */
    void logAt(PointRing ring, int runIndex, int nameId, double value, long step, long epochMicros) {
        ring.log(runIndex, nameId, step, value, wallClock.nanoTimeAt(epochMicros));
    }

    void ship(int runIndex, Outbound out) {
        if (closed) {
            throw new IllegalStateException("the tracker is closed");
        }
        drain.ship(runIndex, out);
    }

    long nowMicros() {
        return wallClock.nowMicros();
    }

    boolean isClosed() {
        return closed;
    }

    TrackerConfig config() {
        return config;
    }

    private static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
