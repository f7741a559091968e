package io.entrenar.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.entrenar.events.ArtifactFormat;
import io.entrenar.events.ArtifactKind;
import io.entrenar.events.FailureCategory;
import io.entrenar.events.LineageRole;
import io.entrenar.events.MetricBatch;
import io.entrenar.events.ResourcePlan;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunStatus;
import io.entrenar.events.Span;
import io.entrenar.events.SpanStatus;
import io.entrenar.schemas.Topic;
import io.entrenar.stack.SharedStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The tracking API against a real broker and registry: what a downstream consumer sees. */
@ExtendWith(SharedStack.class)
class TrackerIntegrationTest {
    @TempDir
    Path spool;

    private Map<String, Object> config() {
        return Map.of(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.stack().bootstrapServers(),
                TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, SharedStack.stack().registryUrl(),
                TrackerConfig.SPOOL_DIR_CONFIG, spool.toString(),
                TrackerConfig.FLUSH_MAX_POINTS_CONFIG, 500);
    }

    /**
     * After a quiet spell the drain thread sleeps up to 16 ms and stops the coarse clock: a point
     * logged then must carry the time it was logged, not the drain thread's last tick.
     */
    @Test
    void pointsLoggedAfterAQuietSpellCarryFreshTimestamps() throws Exception {
        String id;
        List<long[]> loggedBetweenMicros = new ArrayList<>();
        try (Tracker tracker = Tracker.start(config())) {
            Run run = tracker.experiment("integration").run("quiet").start();
            id = run.id();
            Metric loss = run.metric("loss");
            assertTrue(tracker.flush(Duration.ofSeconds(30)), "flush");
            for (int i = 0; i < 5; i++) {
                Thread.sleep(300); // the drain thread is in its longest sleep by now
                long before = nowMicros();
                loss.log(i, i);
                loggedBetweenMicros.add(new long[] {before, nowMicros()}); // a GC pause or preemption widens the window, not the skew
            }
            run.finish();
            assertTrue(tracker.flush(Duration.ofSeconds(30)), "flush");
        }
        List<ConsumerRecord<String, MetricBatch>> batches = TopicReader.read(SharedStack.stack().bootstrapServers(),
                SharedStack.stack().registryUrl(), Topic.METRICS, Set.of(id),
                got -> got.stream().mapToInt(r -> r.value().getSteps().size()).sum() >= 5, Duration.ofSeconds(30));
        for (ConsumerRecord<String, MetricBatch> r : batches) {
            for (int i = 0; i < r.value().getSteps().size(); i++) {
                int step = r.value().getSteps().get(i).intValue();
                long stamp = r.value().getTimestampsMicros().get(i);
                long[] window = loggedBetweenMicros.get(step);
                // a stale tick would be up to 16 ms early; 2 ms allows for the wall clock's conversion
                assertTrue(stamp >= window[0] - 2_000 && stamp <= window[1] + 2_000,
                        "step " + step + " stamped " + (stamp - window[0]) + " µs after the call began (it took "
                                + (window[1] - window[0]) + " µs)");
            }
        }
    }

    private static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    @Test
    void pointsArriveOnceInOrderWithEveryFieldAndNaNKept() {
        int n = 5_000;
        String a;
        String b;
        try (Tracker tracker = Tracker.start(config())) {
            Experiment exp = tracker.experiment("integration");
            Run runA = exp.run("a").param("lr", 0.1).param("epochs", 3).tag("team", "ml").parent("parent-run", LineageRole.TEACHER)
                    .resourcePlan(ResourcePlan.newBuilder().setTotalSteps((long) n).setEstimatedHeapMb(512.0).build()).start();
            Run runB = exp.run("b").start();
            a = runA.id();
            b = runB.id();
            Metric acc = runB.metric("acc");
            for (int i = 0; i < n; i++) {
                double loss = i == 100 ? Double.NaN : i == 200 ? Double.POSITIVE_INFINITY : i == 300 ? Double.NEGATIVE_INFINITY : 1.0 / (i + 1);
                runA.logMetric("loss", loss, i);
                runA.logMetric("lr", 0.1, i);
                acc.log(i / (double) n, i);
            }
            runA.finish(Map.of("accuracy", 0.97));
            runB.fail(FailureContext.of("NAN_LOSS", FailureCategory.MODEL, "loss became NaN", "lower the learning rate"));
            assertTrue(tracker.flush(Duration.ofSeconds(30)), "flush");
            TrackerStats stats = tracker.stats();
            assertEquals(3L * n, stats.pointsLogged());
            assertEquals(0, stats.eventsRejected());
            assertEquals(stats.eventsSent(), stats.eventsAcked() + stats.sendFailures(), stats.toString());
            assertEquals(0, stats.backlog());
        }
        String bootstrap = SharedStack.stack().bootstrapServers();
        String registry = SharedStack.stack().registryUrl();
        List<ConsumerRecord<String, MetricBatch>> batches = TopicReader.read(bootstrap, registry, Topic.METRICS, Set.of(a, b),
                got -> got.stream().mapToInt(r -> r.value().getSteps().size()).sum() >= 3 * n, Duration.ofSeconds(30));

        Map<String, List<Long>> stepsByRunAndName = new HashMap<>();
        Map<String, Double> lossByStep = new HashMap<>();
        Set<String> eventIds = new HashSet<>();
        Map<String, Long> lastSeq = new HashMap<>();
        for (ConsumerRecord<String, MetricBatch> r : batches) {
            MetricBatch mb = r.value();
            assertEquals(r.key(), mb.getRunId());
            assertTrue(eventIds.add(mb.getEventId()), "each batch once");
            long expectedSeq = lastSeq.getOrDefault(mb.getRunId(), -1L) + 1;
            assertEquals(expectedSeq, mb.getSequence(), "batches of a run arrive in sequence order");
            lastSeq.put(mb.getRunId(), mb.getSequence());
            assertTrue(mb.getProducerId().contains(":"));
            assertTrue(mb.getLamport() > 0);
            for (int i = 0; i < mb.getSteps().size(); i++) {
                String name = mb.getNames().get(mb.getNameIds().get(i));
                stepsByRunAndName.computeIfAbsent(mb.getRunId() + "/" + name, k -> new ArrayList<>()).add(mb.getSteps().get(i));
                long micros = mb.getTimestampsMicros().get(i);
                assertTrue(Math.abs(micros / 1000 - System.currentTimeMillis()) < 120_000, "timestamp is wall-clock micros");
                if (mb.getRunId().equals(a) && name.equals("loss")) {
                    lossByStep.put(String.valueOf(mb.getSteps().get(i)), mb.getValues().get(i));
                }
            }
        }
        for (String key : List.of(a + "/loss", a + "/lr", b + "/acc")) {
            List<Long> steps = stepsByRunAndName.get(key);
            assertEquals(n, steps.size(), key + ": every point exactly once");
            for (int i = 0; i < n; i++) {
                assertEquals(i, steps.get(i), key + ": in order");
            }
        }
        assertTrue(Double.isNaN(lossByStep.get("100")), "NaN preserved");
        assertEquals(Double.POSITIVE_INFINITY, lossByStep.get("200"));
        assertEquals(Double.NEGATIVE_INFINITY, lossByStep.get("300"));
        assertEquals(1.0 / 6, lossByStep.get("5"));

        List<ConsumerRecord<String, RunEvent>> runs = TopicReader.read(bootstrap, registry, Topic.RUNS, Set.of(a, b),
                got -> got.stream().filter(r -> r.value().getPayload() instanceof RunFinished).count() >= 2, Duration.ofSeconds(30));
        RunStarted started = runs.stream().map(r -> r.value().getPayload()).filter(p -> p instanceof RunStarted)
                .map(p -> (RunStarted) p).filter(s -> s.getRunName().equals("a")).findFirst().orElseThrow();
        assertEquals("0.1", started.getParams().get("lr"));
        assertEquals("3", started.getParams().get("epochs"));
        assertEquals("ml", started.getTags().get("team"));
        assertEquals(LineageRole.TEACHER, started.getLineage().getParents().get(0).getRole());
        assertEquals(n, started.getResourcePlan().getTotalSteps());
        assertEquals("integration", started.getExperimentName());
        RunFinished finishedA = runs.stream().filter(r -> r.key().equals(a)).map(r -> r.value().getPayload())
                .filter(p -> p instanceof RunFinished).map(p -> (RunFinished) p).findFirst().orElseThrow();
        assertEquals(RunStatus.COMPLETED, finishedA.getStatus());
        assertEquals(n, finishedA.getTotalSteps());
        assertEquals(0.97, finishedA.getSummary().get("accuracy"));
        RunFinished finishedB = runs.stream().filter(r -> r.key().equals(b)).map(r -> r.value().getPayload())
                .filter(p -> p instanceof RunFinished).map(p -> (RunFinished) p).findFirst().orElseThrow();
        assertEquals(RunStatus.FAILED, finishedB.getStatus());
        assertEquals("NAN_LOSS", finishedB.getErrorCode());
        long lamportMax = runs.stream().filter(r -> r.key().equals(a)).mapToLong(r -> r.value().getLamport()).max().orElseThrow();
        assertEquals(lamportMax, runs.stream().filter(r -> r.key().equals(a)).reduce((x, y) -> y).orElseThrow().value().getLamport(),
                "Lamport order matches the order of a run's lifecycle events");

        List<ConsumerRecord<String, Span>> spans = TopicReader.read(bootstrap, registry, Topic.SPANS, Set.of(a, b),
                got -> got.size() >= 2, Duration.ofSeconds(30));
        assertEquals(2, spans.size());
        Span spanB = spans.stream().filter(r -> r.key().equals(b)).findFirst().orElseThrow().value();
        assertEquals(SpanStatus.ERROR, spanB.getStatus());
        assertNull(spanB.getParentSpanId());
        assertEquals(32, spanB.getTraceId().length());
        assertTrue(spanB.getEndMicros() >= spanB.getStartMicros());
        assertFalse(Files.exists(spool.resolve("x")));
    }

    /**
     * A producer buffer far smaller than what one thread logs: the producer refuses sends for lack
     * of buffer (the test checks it did), which must be back-pressure — no outage, no failed send —
     * and every point must still arrive once and in order.
     */
    @Test
    void aFullProducerBufferIsBackPressureNotAnOutage() {
        Congested c = logIntoACongestedProducer("r", Map.of(TrackerConfig.FLUSH_MAX_POINTS_CONFIG, 2048,
                "producer.batch.size", 64 * 1024), 0.25, true);
        assertEquals(0, c.after().sendFailures(), c.after().toString());
        assertEquals(0, c.after().eventsRejected(), c.after().toString());
    }

    /**
     * A broker slower than the logging loop is not an outage either: once half the in-memory window
     * waits for the producer's buffer, the drain thread leaves points in the rings instead of queueing
     * batches through the spool (written, then read back). Thousands of small batches into a 256 KiB
     * buffer make the window fill.
     */
    @Test
    void aCongestedProducerKeepsPointsInMemoryInsteadOfQueueingThroughTheSpool() {
        Congested c = logIntoACongestedProducer("congested", Map.of(), 0.5, false);
        assertEquals(c.before().eventsReplayed(), c.after().eventsReplayed(), "nothing was read back from the spool: " + c.after());
        assertEquals(c.before().eventsSpooledWhileDown(), c.after().eventsSpooledWhileDown(), "nothing queued through the spool: " + c.after());
    }

    /**
     * ... but only up to {@code congestion.max.waiting.points}: past that the spool queues batches on
     * disk, so a broker slower than the program for hours cannot fill the training JVM's heap.
     */
    @Test
    void pointsBeyondTheMemoryBoundQueueThroughTheSpoolWhileCongested() {
        Congested c = logIntoACongestedProducer("congested-bounded", Map.of(TrackerConfig.RING_CAPACITY_CONFIG, 1024,
                TrackerConfig.CONGESTION_MAX_WAITING_POINTS_CONFIG, 1024L), 0.75, false);
        assertTrue(c.after().eventsSpooledWhileDown() > c.before().eventsSpooledWhileDown(), "batches queued through the spool: " + c.after());
        assertTrue(c.after().eventsReplayed() > c.before().eventsReplayed(), "and were read back: " + c.after());
    }

    /**
     * A run that ends, or a flush, while its points wait behind a congested broker waits for them:
     * the end is sent after the last batch and flush returns with nothing left in the rings. (Before
     * the fix the run's end overtook about a third of the points.)
     */
    @Test
    void aRunsEndIsShippedAfterThePointsWaitingBehindACongestedBroker() {
        logIntoACongestedProducer("congested-finish", Map.of(), 1.5, true);
    }

    private record Congested(TrackerStats before, TrackerStats after) {
    }

    /**
     * Logs 400,000 points flat out through a 256 KiB producer buffer (64-point batches unless
     * {@code overrides} say otherwise), so the buffer fills, and ends the run before or after a
     * flush; checks that the buffer did fill, that flush left nothing behind, that they all arrived
     * once, in order, with no outage, and that the run's end was sent after the last of them.
     */
    private Congested logIntoACongestedProducer(String runName, Map<String, Object> overrides, double factor, boolean finishFirst) {
        int n = 400_000;
        String runId;
        TrackerStats before;
        TrackerStats after;
        Map<String, Object> cfg = new HashMap<>(config());
        cfg.put(TrackerConfig.FLUSH_MAX_POINTS_CONFIG, 64);
        cfg.put("producer.buffer.memory", 256 * 1024);
        cfg.put("producer.batch.size", 16 * 1024);
        cfg.putAll(overrides);
        try (Tracker tracker = Tracker.start(cfg)) {
            Run run = tracker.experiment("back-pressure").run(runName).start();
            runId = run.id();
            Metric loss = run.metric("loss");
            assertTrue(tracker.flush(Duration.ofSeconds(30)), "flush");
            before = tracker.stats();
            for (int i = 0; i < n; i++) {
                loss.log(i * factor, i);
            }
            if (finishFirst) {
                run.finish(); // while most points still wait behind the congested broker
            }
            assertTrue(tracker.flush(Duration.ofSeconds(90)), "flush: " + tracker.stats());
            after = tracker.stats();
            if (!finishFirst) {
                run.finish();
            }
        }
        // flush returns once everything logged before it is acknowledged, congested or not
        assertEquals(0, after.pointsInRing(), "flush left points in the rings: " + after);
        assertEquals(after.eventsSent(), after.eventsAcked(), "flush returned before the acknowledgements: " + after);
        assertTrue(after.producerBufferFull() > before.producerBufferFull(), "the small buffer filled up: " + after);
        assertEquals(0, after.outages(), after.toString());
        assertEquals(before.pointsLogged() + n, after.pointsLogged(), after.toString());
        List<ConsumerRecord<String, MetricBatch>> batches = assertEveryPointOnceInOrder(runId, n, factor);
        // the run's end is shipped after every point logged before it: sent after the last batch
        long lastBatchSent = batches.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
        List<ConsumerRecord<String, RunEvent>> events = TopicReader.read(SharedStack.stack().bootstrapServers(),
                SharedStack.stack().registryUrl(), Topic.RUNS, Set.of(runId),
                got -> got.stream().anyMatch(r -> r.value().getPayload() instanceof RunFinished), Duration.ofSeconds(30));
        ConsumerRecord<String, RunEvent> finished = events.stream().filter(r -> r.value().getPayload() instanceof RunFinished)
                .findFirst().orElseThrow();
        assertTrue(finished.timestamp() >= lastBatchSent,
                "RunFinished sent at " + finished.timestamp() + " before the last metric batch at " + lastBatchSent);
        return new Congested(before, after);
    }

    /** The run's {@code n} points, logged as (step i, value i * factor), arrived each once and in order; returns their batches. */
    private static List<ConsumerRecord<String, MetricBatch>> assertEveryPointOnceInOrder(String runId, int n, double factor) {
        List<ConsumerRecord<String, MetricBatch>> batches = TopicReader.read(SharedStack.stack().bootstrapServers(),
                SharedStack.stack().registryUrl(), Topic.METRICS, Set.of(runId),
                got -> got.stream().mapToInt(r -> r.value().getSteps().size()).sum() >= n, Duration.ofSeconds(60));
        long expected = 0;
        for (ConsumerRecord<String, MetricBatch> r : batches) {
            for (int i = 0; i < r.value().getSteps().size(); i++) {
                assertEquals(expected, (long) r.value().getSteps().get(i), "every point once, in order");
                assertEquals(expected * factor, r.value().getValues().get(i));
                expected++;
            }
        }
        assertEquals(n, expected);
        return batches;
    }

    /**
     * The agent's tracker and the program's start side by side in one JVM: each gets a spool of its
     * own even when they start in the same millisecond (the demo's jobs once died of "spool
     * directory ... is locked by another process"). Four trackers released at once by a latch.
     */
    @Test
    void trackersStartingTogetherInOneJvmEachGetTheirOwnSpool() throws Exception {
        int n = 4;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<java.util.concurrent.Future<Tracker>> started = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                started.add(pool.submit(() -> {
                    go.await();
                    return Tracker.start(config());
                }));
            }
            go.countDown();
            List<Tracker> trackers = new ArrayList<>();
            for (var f : started) {
                trackers.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            Set<Path> dirs = new HashSet<>();
            for (Tracker t : trackers) {
                t.experiment("same-jvm").run("side-by-side").start().finish();
                assertTrue(t.flush(Duration.ofSeconds(30)), "flush");
                dirs.add(t.spoolDirectory());
                t.close();
            }
            assertEquals(n, dirs.size(), "one spool each: " + dirs);
        } finally {
            pool.shutdownNow();
        }
    }

    /** In a JVM the agent tracks, every run names the agent's run of that JVM; the agent's own run does not name itself. */
    @Test
    void runsInAJvmTheAgentTracksNameTheJvmRun() {
        String jvmRun = java.util.UUID.randomUUID().toString();
        String app;
        System.setProperty(RunBuilder.JVM_RUN_PROPERTY, jvmRun);
        try (Tracker tracker = Tracker.start(config())) {
            tracker.experiment("jvm").run("the agent's").id(jvmRun).start().finish();
            app = tracker.experiment("jvm").run("the program's").start().id();
            assertTrue(tracker.flush(Duration.ofSeconds(30)), "flush");
        } finally {
            System.clearProperty(RunBuilder.JVM_RUN_PROPERTY);
        }
        IllegalArgumentException notUuid = assertThrows(IllegalArgumentException.class,
                () -> new RunBuilder(null, null, "x").id("run-1"));
        assertEquals("run id must be a UUID, got 'run-1'", notUuid.getMessage());

        List<ConsumerRecord<String, RunEvent>> events = TopicReader.read(SharedStack.stack().bootstrapServers(),
                SharedStack.stack().registryUrl(), Topic.RUNS, Set.of(jvmRun, app),
                got -> got.stream().filter(r -> r.value().getPayload() instanceof RunStarted).count() >= 2, Duration.ofSeconds(30));
        Map<String, Map<String, String>> tagsByRun = new HashMap<>();
        for (ConsumerRecord<String, RunEvent> r : events) {
            if (r.value().getPayload() instanceof RunStarted started) {
                tagsByRun.put(r.key(), started.getTags());
            }
        }
        assertEquals(jvmRun, tagsByRun.get(app).get(RunBuilder.JVM_RUN_TAG));
        assertNull(tagsByRun.get(jvmRun).get(RunBuilder.JVM_RUN_TAG), "the JVM's run does not point at itself");
    }

    @Test
    void artifactsCarryShaAndSizeAndUnsafeFormatsAreRefused() throws Exception {
        Path model = Files.writeString(spool.resolve("model.onnx"), "not really onnx");
        try (Tracker tracker = Tracker.start(config())) {
            Run run = tracker.experiment("artifacts").run("r").start();
            String sha = run.logArtifact("model", model, ArtifactKind.MODEL, ArtifactFormat.ONNX, null);
            assertEquals(64, sha.length());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> run.logArtifact("weights", model, ArtifactKind.MODEL, ArtifactFormat.PICKLE, null));
            assertTrue(e.getMessage().contains("PICKLE"), e.getMessage());
            run.finish();
            assertTrue(tracker.flush(Duration.ofSeconds(30)));
            List<ConsumerRecord<String, io.entrenar.events.Artifact>> arts = TopicReader.read(SharedStack.stack().bootstrapServers(),
                    SharedStack.stack().registryUrl(), Topic.ARTIFACTS, Set.of(run.id()), got -> !got.isEmpty(), Duration.ofSeconds(30));
            assertEquals(sha, arts.get(0).value().getSha256());
            assertEquals(Files.size(model), arts.get(0).value().getSizeBytes());
        }
    }

    @Test
    void badInputFailsAtTheCallWithAClearMessage() {
        try (Tracker tracker = Tracker.start(config())) {
            Run run = tracker.experiment("bad-input").run("r").start();
            assertTrue(assertThrows(IllegalArgumentException.class, () -> run.logMetric("bad name!", 1, 0)).getMessage().contains("bad name!"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> run.logMetric("x".repeat(300), 1, 0)).getMessage().contains("300"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> run.logMetric(null, 1, 0)).getMessage().contains("null"));
            RunBuilder builder = tracker.experiment("bad-input").run("p");
            IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class, () -> builder.param("layers", List.of(1, 2)));
            assertTrue(wrongType.getMessage().contains("layers") && wrongType.getMessage().contains("java.util"), wrongType.getMessage());
            assertThrows(IllegalArgumentException.class, () -> builder.tag("note", "y".repeat(10_000)));
            assertThrows(IllegalArgumentException.class, () -> builder.tag("bad!tag", "v"));
            assertThrows(IllegalArgumentException.class, () -> builder.tag(" leading space", "v"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> run.logMetric("ok", 1, 0, 1_700_000_000_000_000_000L))
                    .getMessage().contains("between 1970 and 2200"), "a point's time in ns instead of µs is refused");
            run.logMetric("ok", 1, 0);
            run.finish();
            IllegalStateException ended = assertThrows(IllegalStateException.class, () -> run.logMetric("ok", 2, 1));
            assertTrue(ended.getMessage().contains("ended"));
            assertTrue(tracker.flush(Duration.ofSeconds(30)));
            assertEquals(0, tracker.stats().eventsRejected());
        }
    }

    @Test
    void configErrorsNameTheKey() {
        var e = assertThrows(org.apache.kafka.common.config.ConfigException.class,
                () -> new TrackerConfig(Map.of(TrackerConfig.RING_CAPACITY_CONFIG, 1000)));
        assertTrue(e.getMessage().contains("ring.capacity"), e.getMessage());
        var f = assertThrows(org.apache.kafka.common.config.ConfigException.class,
                () -> new TrackerConfig(Map.of("producer.acks", "1")));
        assertTrue(f.getMessage().contains("producer.acks"), f.getMessage());
        var g = assertThrows(org.apache.kafka.common.config.ConfigException.class,
                () -> new TrackerConfig(Map.of(TrackerConfig.SPOOL_FSYNC_CONFIG, "sometimes")));
        assertTrue(g.getMessage().contains("spool.fsync"), g.getMessage());
        var h = assertThrows(org.apache.kafka.common.config.ConfigException.class,
                () -> new TrackerConfig(Map.of(TrackerConfig.RING_CAPACITY_CONFIG, 4096, TrackerConfig.CONGESTION_MAX_WAITING_POINTS_CONFIG, 1000)));
        assertEquals("Invalid value 1000 for configuration congestion.max.waiting.points: must be at least ring.capacity (4096)", h.getMessage());
        assertEquals(1L << 24, new TrackerConfig(Map.of(TrackerConfig.RING_CAPACITY_CONFIG, 1 << 24)).congestionMaxWaitingPoints(),
                "unset, the bound grows with a ring larger than its default");
        assertEquals(TrackerConfig.CONGESTION_MAX_WAITING_POINTS_DEFAULT, new TrackerConfig(Map.of()).congestionMaxWaitingPoints());
    }
}
