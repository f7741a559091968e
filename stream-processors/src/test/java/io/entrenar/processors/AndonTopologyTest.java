package io.entrenar.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.entrenar.events.Alert;
import io.entrenar.events.RunEvent;
import io.entrenar.events.AlertAction;
import io.entrenar.events.AlertState;
import io.entrenar.events.ControlAction;
import io.entrenar.events.ControlCommand;
import io.entrenar.events.FailureCategory;
import io.entrenar.events.Severity;
import io.entrenar.schemas.Topic;
import io.entrenar.stack.SharedStack;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Andon incidents through the whole topology: each fires once and resolves once. */
@ExtendWith(SharedStack.class)
class AndonTopologyTest {
    private static final long T0 = Harness.START.toEpochMilli() * 1000;

    private static ProcessorsTopology.Settings with(AndonRules rules) {
        ProcessorsTopology.Settings d = ProcessorsTopology.Settings.defaults();
        return new ProcessorsTopology.Settings(d.stats(), rules, d.andonCheckInterval(), d.eta(), d.leaderboard());
    }

    @Test
    void nanFiresOnceWithAStopAndResolvesOnceOnRecovery() {
        try (Harness h = new Harness()) {
            h.send(Topic.RUNS, "r", Events.started("r", T0));
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 1, 0.9, T0 + 1).point("loss", 2, Double.NaN, T0 + 2).build());
            List<Alert> alerts = h.read(Topic.ALERTS);
            assertEquals(1, alerts.size());
            Alert firing = alerts.getFirst();
            assertEquals(AlertState.FIRING, firing.getState());
            assertEquals("non_finite", firing.getRule());
            assertEquals(Severity.CRITICAL, firing.getSeverity());
            assertEquals(AlertAction.EMERGENCY_STOP, firing.getAction());
            assertEquals("loss", firing.getMetric());
            assertEquals(2L, firing.getStep());
            assertEquals("NaN", firing.getEvidence().get("value"));
            assertEquals("exp-1", firing.getExperimentId());
            assertTrue(firing.getSuggestedAction().contains("learning rate"));
            List<ControlCommand> control = h.read(Topic.CONTROL);
            assertEquals(1, control.size());
            assertEquals(ControlAction.STOP, control.getFirst().getAction());
            assertEquals(firing.getIncidentId(), control.getFirst().getIncidentId());
            assertEquals("andon:non_finite", control.getFirst().getIssuedBy());

            // More NaN: the incident is already open.
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 3, Double.POSITIVE_INFINITY, T0 + 3).build());
            assertTrue(h.read(Topic.ALERTS).isEmpty());
            assertTrue(h.read(Topic.CONTROL).isEmpty());

            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 4, 0.8, T0 + 4).build());
            List<Alert> resolved = h.read(Topic.ALERTS);
            assertEquals(1, resolved.size());
            assertEquals(AlertState.RESOLVED, resolved.getFirst().getState());
            assertEquals(firing.getIncidentId(), resolved.getFirst().getIncidentId());
            assertEquals(firing.getFiredAtMicros(), resolved.getFirst().getFiredAtMicros());
            assertTrue(resolved.getFirst().getResolvedAtMicros() != null);

            h.send(Topic.RUNS, "r", Events.finished("r", T0 + 5));
            assertTrue(h.read(Topic.ALERTS).isEmpty(), "nothing left to resolve");
            // A NaN processed after the finish and past the grace period reopens nothing.
            h.advanceWallClock(ProcessorsTopology.Settings.DEFAULT_FINISH_GRACE.plusSeconds(1));
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 5, Double.NaN, T0 + 6).build());
            assertTrue(h.read(Topic.ALERTS).isEmpty());
        }
    }

    @Test
    void pointsProcessedAfterTheFinishWithinTheGraceStillAlertOnceAndResolveAtOnce() {
        try (Harness h = new Harness()) {
            h.send(Topic.RUNS, "r", Events.started("r", T0));
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 1, 0.9, T0 + 1).build());
            // No ordering across topics: the finish overtakes the last metric batch.
            h.send(Topic.RUNS, "r", Events.finished("r", T0 + 5));
            h.advanceWallClock(ProcessorsTopology.Settings.DEFAULT_FINISH_GRACE.minusSeconds(1));
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 2, Double.NaN, T0 + 2).build());
            List<Alert> alerts = h.read(Topic.ALERTS);
            assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED), alerts.stream().map(Alert::getState).toList());
            assertEquals("non_finite", alerts.getFirst().getRule());
            assertEquals(2L, alerts.getFirst().getStep());
            assertEquals(alerts.get(0).getIncidentId(), alerts.get(1).getIncidentId());
            assertTrue(h.read(Topic.CONTROL).isEmpty(), "no STOP for a run that already ended");

            // Another late NaN reopens the rule as a new incident, still within the grace ...
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 3, Double.NaN, T0 + 3).build());
            assertEquals(2, h.read(Topic.ALERTS).size());
            // ... and nothing once the grace is over.
            h.advanceWallClock(Duration.ofSeconds(2));
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 4, Double.NaN, T0 + 4).build());
            assertTrue(h.read(Topic.ALERTS).isEmpty());
        }
    }

    @Test
    void aZeroGraceIgnoresEveryPointAfterTheFinish() {
        ProcessorsTopology.Settings d = ProcessorsTopology.Settings.defaults();
        try (Harness h = new Harness(new ProcessorsTopology.Settings(d.stats(), d.andon(), d.andonCheckInterval(), d.eta(), d.leaderboard(),
                Duration.ZERO))) {
            h.send(Topic.RUNS, "r", Events.started("r", T0));
            h.send(Topic.RUNS, "r", Events.finished("r", T0 + 5));
            h.advanceWallClock(Duration.ofMillis(1));
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 2, Double.NaN, T0 + 2).build());
            assertTrue(h.read(Topic.ALERTS).isEmpty());
        }
    }

    @Test
    void openIncidentsResolveWhenTheRunFinishes() {
        try (Harness h = new Harness()) {
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("acc", 1, Double.NaN, T0 + 1).point("loss", 1, Double.NEGATIVE_INFINITY, T0 + 1).build());
            List<Alert> firing = h.read(Topic.ALERTS);
            assertEquals(1, firing.size(), "one non_finite incident per run, however many metrics blew up: " + firing);
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 2, 0.5, T0 + 2).build());
            assertTrue(h.read(Topic.ALERTS).isEmpty(), "a finite value of another metric does not resolve " + firing.getFirst().getMetric());
            h.send(Topic.RUNS, "r", Events.finished("r", T0 + 5));
            List<Alert> resolved = h.read(Topic.ALERTS);
            assertEquals(1, resolved.size());
            resolved.forEach(a -> assertEquals(AlertState.RESOLVED, a.getState()));
        }
    }

    @Test
    void aStalledRunIsDetectedByWallClockAndResolvesOnProgress() {
        AndonRules rules = AndonRules.parse("rules.yaml", """
                rules:
                  - name: stall
                    type: stall
                    max_seconds: 30
                """);
        try (Harness h = new Harness(with(rules))) {
            h.send(Topic.RUNS, "r", Events.started("r", T0));
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 10, 1.0, T0 + 1).build());
            h.advanceWallClock(Duration.ofSeconds(20));
            assertTrue(h.read(Topic.ALERTS).isEmpty());
            h.advanceWallClock(Duration.ofSeconds(15));
            List<Alert> alerts = h.read(Topic.ALERTS);
            assertEquals(1, alerts.size());
            assertEquals("stall", alerts.getFirst().getRule());
            assertEquals("10", alerts.getFirst().getEvidence().get("last_step"));
            h.advanceWallClock(Duration.ofSeconds(60));
            assertTrue(h.read(Topic.ALERTS).isEmpty(), "fires once");
            // Same step again is no progress.
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 10, 1.0, T0 + 2).build());
            assertTrue(h.read(Topic.ALERTS).isEmpty());
            h.send(Topic.FAILURES, "crashed-at-start", Events.failure("crashed-at-start", T0, "CONFIG_NOT_FOUND", FailureCategory.CONFIG));
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 11, 1.0, T0 + 3).build());
            List<Alert> resolved = h.read(Topic.ALERTS);
            assertEquals(1, resolved.size());
            assertEquals(AlertState.RESOLVED, resolved.getFirst().getState());
            h.advanceWallClock(Duration.ofSeconds(60));
            assertTrue(h.<Alert>read(Topic.ALERTS).stream().noneMatch(a -> a.getRunId().equals("crashed-at-start")),
                    "a run that never started or progressed does not stall");

            // The agent's record of a JVM takes no steps: however long the JVM lives, it does not stall.
            RunEvent jvm = Events.started("jvm", T0 + 4);
            ((io.entrenar.events.RunStarted) jvm.getPayload()).setTags(Map.of(AndonProcessor.AGENT_TAG, "premain"));
            h.send(Topic.RUNS, "jvm", jvm);
            h.advanceWallClock(Duration.ofMinutes(30));
            assertTrue(h.<Alert>read(Topic.ALERTS).stream().noneMatch(a -> a.getRunId().equals("jvm")),
                    "no stall alert on a JVM's process record");
        }
    }

    @Test
    void divergenceByRatioToRunningMinimum() {
        AndonRules rules = AndonRules.parse("rules.yaml", """
                rules:
                  - name: loss_divergence
                    type: divergence
                    metric: loss
                    ratio_to_min: 5
                    warmup_points: 10
                """);
        try (Harness h = new Harness(with(rules))) {
            Events.Batch warmup = new Events.Batch("r");
            for (int i = 0; i < 20; i++) {
                warmup.point("loss", i, 1.0 - i * 0.01, T0 + i);
            }
            h.send(Topic.METRICS, "r", warmup.build());
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 20, 4.0, T0 + 20).build());
            assertTrue(h.read(Topic.ALERTS).isEmpty(), "4.0 is under 5 × the minimum 0.81");
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 21, 4.5, T0 + 21).point("loss", 22, 9.0, T0 + 22).build());
            List<Alert> alerts = h.read(Topic.ALERTS);
            assertEquals(1, alerts.size());
            assertEquals("loss_divergence", alerts.getFirst().getRule());
            assertEquals(22L, alerts.getFirst().getStep());
            assertEquals("0.81", alerts.getFirst().getEvidence().get("running_min").substring(0, 4));
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 23, 0.9, T0 + 23).build());
            assertEquals(AlertState.RESOLVED, h.<Alert>read(Topic.ALERTS).getFirst().getState());
        }
    }

    @Test
    void noisyMiniBatchLossBelowItsMeanIsNotDivergenceUnderTheDefaultRule() {
        try (Harness h = new Harness()) {
            Events.Batch warmup = new Events.Batch("r");
            for (int i = 0; i < 100; i++) {
                // Mini-batch losses: mostly about 0.1, one lucky batch at 0.005.
                warmup.point("loss", i, i == 50 ? 0.005 : 0.1 + (i % 3) * 0.02, T0 + i);
            }
            h.send(Topic.METRICS, "r", warmup.build());
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 100, 0.12, T0 + 100).build());
            assertTrue(h.read(Topic.ALERTS).isEmpty(), "24x the luckiest batch, but an ordinary value: no divergence");
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 101, 5.0, T0 + 101).build());
            List<Alert> alerts = h.read(Topic.ALERTS);
            assertEquals(1, alerts.size(), "far above both the spread and the best: divergence");
            assertEquals("divergence", alerts.getFirst().getRule());
        }
    }

    @Test
    void divergenceByZScore() {
        AndonRules rules = AndonRules.parse("rules.yaml", """
                rules:
                  - {name: z, type: divergence, metric: loss, z_score: 4, warmup_points: 50}
                """);
        try (Harness h = new Harness(with(rules))) {
            Events.Batch warmup = new Events.Batch("r");
            for (int i = 0; i < 100; i++) {
                warmup.point("loss", i, -5 + (i % 2 == 0 ? 0.1 : -0.1), T0 + i);
            }
            h.send(Topic.METRICS, "r", warmup.build());
            // mean -5, sample std ≈ 0.1005: z(-4.5) ≈ 4.97 > 4; the ratio test does not apply to negative minima.
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 100, -4.5, T0 + 100).build());
            List<Alert> alerts = h.read(Topic.ALERTS);
            assertEquals(1, alerts.size());
            assertEquals(4.97, Double.parseDouble(alerts.getFirst().getEvidence().get("z_score")), 0.01);
        }
    }

    @Test
    void plateauFiresAfterPatienceAndResolvesOnImprovement() {
        AndonRules rules = AndonRules.parse("rules.yaml", """
                rules:
                  - name: plateau
                    type: plateau
                    metric: loss
                    patience_steps: 100
                    min_delta: 0.01
                """);
        try (Harness h = new Harness(with(rules))) {
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 0, 1.0, T0).point("loss", 50, 0.995, T0 + 1).build());
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 99, 0.999, T0 + 2).build());
            assertTrue(h.read(Topic.ALERTS).isEmpty());
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 100, 0.996, T0 + 3).build());
            List<Alert> alerts = h.read(Topic.ALERTS);
            assertEquals(1, alerts.size(), "0.995 is within 1% of 1.0: no improvement since step 0");
            assertEquals(Severity.INFO, alerts.getFirst().getSeverity());
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 150, 0.5, T0 + 4).build());
            assertEquals(AlertState.RESOLVED, h.<Alert>read(Topic.ALERTS).getFirst().getState());
        }
    }

    @Test
    void heapAbovePlanPlusToleranceFiresOnceAndResolvesAtFinish() {
        try (Harness h = new Harness()) {
            h.send(Topic.RUNS, "r", Events.started("r", T0, Events.plan(100.0, null, null, null), null, Map.of()));
            h.send(Topic.RESOURCES, "r", Events.resources("r", T0 + 1, 105L << 20));
            assertTrue(h.read(Topic.ALERTS).isEmpty(), "105 MB is within the default 10% tolerance");
            h.send(Topic.RESOURCES, "r", Events.resources("r", T0 + 2, 120L << 20));
            h.send(Topic.RESOURCES, "r", Events.resources("r", T0 + 3, 130L << 20));
            List<Alert> alerts = h.read(Topic.ALERTS);
            assertEquals(1, alerts.size());
            Alert a = alerts.getFirst();
            assertEquals("plan_overrun", a.getRule());
            assertEquals("heap_mb", a.getMetric());
            assertEquals("20.00", a.getEvidence().get("deviation_pct"));
            h.send(Topic.RUNS, "r", Events.finished("r", T0 + 4));
            assertEquals(AlertState.RESOLVED, h.<Alert>read(Topic.ALERTS).getFirst().getState());
        }
    }

    @Test
    void plannedDurationOverrunIsCaughtByTheWallClock() {
        try (Harness h = new Harness()) {
            h.send(Topic.RUNS, "r", Events.started("r", T0, Events.plan(null, null, 60.0, null), null, Map.of()));
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 1, 1.0, T0).build());
            for (int i = 0; i < 7; i++) {
                h.advanceWallClock(Duration.ofSeconds(10));
                h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 2 + i, 1.0, T0 + i).build());
            }
            List<Alert> alerts = h.read(Topic.ALERTS);
            assertEquals(1, alerts.stream().filter(a -> a.getMetric() != null && a.getMetric().equals("duration_secs")).count(), alerts.toString());
        }
    }

    @Test
    void driftWithEmergencyStop() {
        AndonRules rules = AndonRules.parse("rules.yaml", """
                rules:
                  - name: accuracy_drift
                    type: drift
                    metric: accuracy
                    baseline: 0.95
                    max_deviation: 0.05
                    action: emergency_stop
                """);
        try (Harness h = new Harness(with(rules))) {
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("accuracy", 1, 0.94, T0).point("accuracy", 2, 0.96, T0).build());
            assertTrue(h.read(Topic.ALERTS).isEmpty());
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("accuracy", 3, 0.85, T0).point("accuracy", 4, 0.87, T0).build());
            Alert a = h.<Alert>read(Topic.ALERTS).getFirst();
            assertEquals("accuracy_drift", a.getRule());
            assertEquals(0.09, Double.parseDouble(a.getEvidence().get("deviation")), 1e-9);
            assertEquals(ControlAction.STOP, h.<ControlCommand>read(Topic.CONTROL).getFirst().getAction());
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("accuracy", 5, 0.93, T0).build());
            assertEquals(AlertState.RESOLVED, h.<Alert>read(Topic.ALERTS).getFirst().getState());
        }
    }

    @Test
    void failureEventsFireOncePerErrorCode() {
        try (Harness h = new Harness()) {
            h.send(Topic.FAILURES, "r", Events.failure("r", T0, "OOM_HEAP", FailureCategory.RESOURCE));
            h.send(Topic.FAILURES, "r", Events.failure("r", T0 + 1, "OOM_HEAP", FailureCategory.RESOURCE));
            h.send(Topic.FAILURES, "r", Events.failure("r", T0 + 2, "NAN_LOSS", FailureCategory.MODEL));
            List<Alert> alerts = h.read(Topic.ALERTS);
            assertEquals(2, alerts.size());
            assertEquals("fix OOM_HEAP", alerts.getFirst().getSuggestedAction(), "the failure's remediation is the suggested action");
            h.send(Topic.RUNS, "r", Events.finished("r", T0 + 3));
            assertEquals(2, h.<Alert>read(Topic.ALERTS).stream().filter(a -> a.getState() == AlertState.RESOLVED).count());
        }
    }

    @Test
    void aRecordThatCannotBeDecodedWhileTheRegistryIsAwayIsRetriedNotDeadLettered() throws Exception {
        byte[] valid;
        try (var serde = io.entrenar.serde.AvroSerde.specific(SharedStack.registry(), Map.of(), false)) {
            valid = serde.serializer().serialize(Topic.METRICS.topicName(),
                    new Events.Batch("away").point("loss", 1, 0.5, T0).build());
        }
        // A registry that does not answer: nothing listens on port 1.
        var away = io.entrenar.registry.CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", "http://127.0.0.1:1"));
        try (Harness h = new Harness(ProcessorsTopology.Settings.defaults(), new RefusedOutputs(), away)) {
            long t0 = System.nanoTime();
            assertThrows(org.apache.kafka.streams.errors.StreamsException.class,
                    () -> h.sendRaw(Topic.METRICS, "away".getBytes(StandardCharsets.UTF_8), valid),
                    "the stream thread fails (Kafka Streams replaces it and reads the record again)");
            assertTrue(System.nanoTime() - t0 >= DeadLetters.Deserialization.REGISTRY_RETRY_PAUSE.toNanos(), "after a pause");
            assertTrue(h.readRaw(Topic.DLQ).isEmpty(), "a valid record is not dead-lettered because the registry was away");
            assertEquals(0, h.deadLetters.deserialization.sum());
            assertEquals(1, h.deadLetters.registryRetries.sum());
        }
        // The same bytes once the registry answers: a metric point like any other.
        try (Harness h = new Harness()) {
            h.sendRaw(Topic.METRICS, "away".getBytes(StandardCharsets.UTF_8), valid);
            assertTrue(h.readRaw(Topic.DLQ).isEmpty());
            assertEquals(0, h.deadLetters.registryRetries.sum());
        }
    }

    @Test
    void undecodableAndInconsistentRecordsGoToTheDeadLetterTopicAndProcessingContinues() {
        try (Harness h = new Harness()) {
            h.sendRaw(Topic.METRICS, "r".getBytes(StandardCharsets.UTF_8), "{\"json\": true}".getBytes(StandardCharsets.UTF_8));
            // Columns of different lengths: decodes, but no processor can use it.
            h.send(Topic.METRICS, "r", io.entrenar.events.MetricBatch.newBuilder(new Events.Batch("r").point("loss", 1, 1.0, T0).build())
                    .setSteps(List.of(1L, 2L)).build());
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 3, Double.NaN, T0).build());
            // TopologyTestDriver does not pass the deserialization handler's dead letters on (the
            // real-broker test checks those); it does run the handler, and the processing ones arrive.
            List<TestRecord<byte[], byte[]>> dead = h.readRaw(Topic.DLQ);
            assertEquals(1, dead.size());
            assertEquals("processing", header(dead.getFirst(), DeadLetters.STAGE));
            assertTrue(header(dead.getFirst(), DeadLetters.REASON).contains("columns of different lengths"), header(dead.getFirst(), DeadLetters.REASON));
            assertEquals(Topic.METRICS.topicName(), header(dead.getFirst(), DeadLetters.SOURCE_TOPIC));
            assertEquals("rolling-stats", header(dead.getFirst(), DeadLetters.PROCESSOR));
            assertEquals(1, h.deadLetters.deserialization.sum());
            assertEquals(1, h.deadLetters.processing.sum());
            assertEquals(1, h.<Alert>read(Topic.ALERTS).size(), "the topology kept going");
        }
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
