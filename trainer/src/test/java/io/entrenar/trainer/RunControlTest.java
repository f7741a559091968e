package io.entrenar.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrenar.control.ControlKeys;
import io.entrenar.control.SigningSerializer;
import io.entrenar.events.ControlAction;
import io.entrenar.events.ControlCommand;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStatus;
import io.entrenar.events.RunStatusChanged;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.stack.SharedStack;
import io.entrenar.trainer.config.ConfigLoader;
import io.entrenar.trainer.listen.JsonLinesListener;
import io.entrenar.trainer.model.RunOutcome;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * STOP, PAUSE, RESUME, APPROVE and REJECT, signed and sent on entrenar.control.v1 as the CLI sends
 * them, change what a real training JVM ({@code entrenar train --track}) does.
 */
@ExtendWith(SharedStack.class)
class RunControlTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** 1,257 digits rows / 32 = 40 steps per epoch; paced so that commands land mid-run. */
    private static final String JOB = """
            model: {arch: mlp, hidden: [16]}
            data: {source: digits}
            training:
              epochs: 4
              pace_ms: %d
              output_dir: runs
            optimizer: {name: adam, lr: 0.005}
            checkpoint: {dir: %s}
            seed: 23
            deterministic: true
            """;

    @TempDir
    Path dir;
    private ControlKeys keys;
    private KafkaProducer<String, ControlCommand> commands;

    @BeforeEach
    void signer() {
        keys = ControlKeys.loadOrCreate(dir.resolve("control.keys"));
        commands = new KafkaProducer<>(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers()), new StringSerializer(),
                new SigningSerializer<>(new AvroSerializer<>(SharedStack.registry(), Map.of(), false), keys));
    }

    @AfterEach
    void close() {
        commands.close();
    }

    @Test
    void pauseHoldsTheLoopResumeContinuesBitExactAndStopCheckpointsAndEndsStopped() throws Exception {
        Job job = start("controlled", JOB.formatted(40, "ckpt-controlled"));
        String runId = job.await(e -> e.get("event").asText().equals("epoch")).get("run_id").asText();

        send(runId, ControlAction.PAUSE);
        JsonNode paused = job.await(e -> e.get("event").asText().equals("paused"));
        long pausedAt = paused.get("step").asLong();
        Thread.sleep(1_500);
        long stepsWhilePaused = Events.of(job.events(), "step").stream().filter(e -> e.get("step").asLong() > pausedAt).count();
        assertEquals(0, stepsWhilePaused, "no step ran while paused");
        Duration cpu = childCpu();
        Thread.sleep(1_000);
        Duration used = childCpu().minus(cpu);
        assertTrue(used.toMillis() < 300, "a paused job waits without burning CPU: " + used.toMillis() + " ms in 1 s");

        send(runId, ControlAction.RESUME);
        job.await(e -> e.get("event").asText().equals("resumed"));
        job.await(e -> e.get("event").asText().equals("epoch") && e.get("epoch").asInt() == 2);
        send(runId, ControlAction.STOP);
        JsonNode stopped = job.await(e -> e.get("event").asText().equals("run_stopped"));
        assertEquals(TrainMain.RUN_STOPPED, job.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS), job.output());
        assertTrue(stopped.get("reason").asText().startsWith("STOP from run-control-test: test"), stopped.toString());
        assertNotNull(stopped.get("checkpoint").textValue(), "a stop writes the checkpoint a rerun resumes from");
        long stoppedAt = stopped.get("step").asLong();
        assertTrue(stoppedAt > 80 && stoppedAt < 160, "stopped within epoch 3, not run to the end: " + stoppedAt);

        // The record says STOPPED, with PAUSED and RUNNING on the way.
        List<RunEvent> record = TopicRecords.read(Topic.RUNS, RunEvent.class).get(runId);
        assertEquals(RunStatus.STOPPED, ((RunFinished) record.get(record.size() - 1).getPayload()).getStatus());
        assertTrue(record.stream().anyMatch(e -> e.getPayload() instanceof RunStatusChanged s && s.getStatus() == RunStatus.PAUSED));

        // Rerunning resumes from the stop's checkpoint; the paused, resumed, stopped and resumed run
        // computes exactly what an uninterrupted run does.
        List<JsonNode> before = job.events();
        Path resumedEvents = dir.resolve("resumed.jsonl");
        RunOutcome resumed;
        try (JsonLinesListener l = JsonLinesListener.toFile(resumedEvents)) {
            resumed = new Trainer(l).run(ConfigLoader.load(write("resume.yaml", JOB.formatted(0, "ckpt-controlled")), Map.of())).get(0);
        }
        Path referenceEvents = dir.resolve("reference.jsonl");
        RunOutcome reference;
        try (JsonLinesListener l = JsonLinesListener.toFile(referenceEvents)) {
            reference = new Trainer(l).run(ConfigLoader.load(write("reference.yaml", JOB.formatted(0, "ckpt-reference")), Map.of())).get(0);
        }
        List<String> stitched = new java.util.ArrayList<>(Events.series(before));
        stitched.addAll(Events.series(Events.read(resumedEvents)));
        assertEquals(Events.series(Events.read(referenceEvents)), stitched, "step for step the uninterrupted series");
        assertEquals(reference.artifact().sha256(), resumed.artifact().sha256(), "and the same final weights");
    }

    @Test
    void approvalGatesWaitForTheDecisionAndARejectionStopsTheRun() throws Exception {
        Job job = start("gated", JOB.formatted(0, "ckpt-gated") + """
                approval:
                  after_epochs: [1]
                  before_model: true
                  timeout_s: 120
                """);
        JsonNode first = job.await(e -> e.get("event").asText().equals("awaiting_approval"));
        String runId = first.get("run_id").asText();
        assertEquals("after epoch 1", first.get("gate").asText());
        Thread.sleep(1_000);
        assertEquals(40, Events.of(job.events(), "step").size(), "nothing past the gate until a decision");
        assertEquals(RunStatus.AWAITING_APPROVAL, lastStatus(runId));

        send(runId, ControlAction.APPROVE);
        job.await(e -> e.get("event").asText().equals("approved"));
        JsonNode second = job.await(e -> e.get("event").asText().equals("awaiting_approval")
                && e.get("gate").asText().equals("before writing the final model"));
        assertEquals(160, second.get("step").asLong());
        send(runId, ControlAction.REJECT);
        JsonNode stopped = job.await(e -> e.get("event").asText().equals("run_stopped"));
        assertEquals(TrainMain.RUN_STOPPED, job.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS), job.output());
        assertEquals("rejected at the approval gate before writing the final model", stopped.get("reason").asText());
        assertTrue(Events.of(job.events(), "artifact").isEmpty(), "a rejected model is not written");
        List<RunEvent> record = TopicRecords.read(Topic.RUNS, RunEvent.class).get(runId);
        assertEquals(RunStatus.STOPPED, ((RunFinished) record.get(record.size() - 1).getPayload()).getStatus());
    }

    @Test
    void anUnansweredGateStopsOrContinuesAsConfiguredAndUntrackedGatesAreRefusedBeforeStarting() throws Exception {
        Job continuing = start("timeout-continue", JOB.formatted(0, "ckpt-timeout") + """
                approval: {metric: val_accuracy, above: 0.5, timeout_s: 1, on_timeout: continue}
                """);
        assertEquals(TrainMain.OK, continuing.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS), continuing.output());
        JsonNode gate = Events.of(continuing.events(), "awaiting_approval").get(0);
        assertTrue(gate.get("gate").asText().startsWith("val_accuracy 0."), gate.toString());
        assertEquals(1, Events.of(continuing.events(), "approval_timed_out").size());
        assertEquals(1, Events.of(continuing.events(), "run_finished").size());

        Job stopping = start("timeout-stop", JOB.formatted(0, "ckpt-timeout-stop") + """
                approval: {after_epochs: 2, timeout_s: 1}
                """);
        assertEquals(TrainMain.RUN_STOPPED, stopping.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS), stopping.output());
        assertTrue(Events.of(stopping.events(), "run_stopped").get(0).get("reason").asText()
                .startsWith("no approval decision within 1 s at the gate after epoch 2"));

        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = TrainMain.run(new String[] {write("untracked.yaml", JOB.formatted(0, "x") + "approval: {before_model: true}\n").toString()},
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), new java.io.PrintStream(err, true));
        assertEquals(TrainMain.INVALID_CONFIG, status);
        assertTrue(err.toString().contains("needs a tracked run: train with --track"), err.toString());
    }

    /** CPU time of this JVM's child processes (the training JVM). */
    private static Duration childCpu() {
        return ProcessHandle.current().children().map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    private RunStatus lastStatus(String runId) {
        RunStatus status = null;
        for (RunEvent e : TopicRecords.read(Topic.RUNS, RunEvent.class).getOrDefault(runId, List.of())) {
            if (e.getPayload() instanceof RunStatusChanged s) {
                status = s.getStatus();
            }
        }
        return status;
    }

    private void send(String runId, ControlAction action) throws Exception {
        ControlCommand c = ControlCommand.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId)
                .setTsMicros(Instant.now()).setLamport(1).setCommandId(UUID.randomUUID().toString()).setAction(action)
                .setReason("test").setIssuedBy("run-control-test").build();
        commands.send(new ProducerRecord<>(Topic.CONTROL.topicName(), runId, c)).get();
    }

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    /** A tracked training JVM, as {@code entrenar train --track} starts it, with its events file. */
    private Job start(String name, String yaml) throws IOException {
        Path config = write(name + ".yaml", yaml);
        Path events = dir.resolve(name + ".jsonl");
        TrainProcess process = new TrainProcess(ConfigLoader.load(config, Map.of()), config, events, false, List.of(),
                new TrainProcess.Tracking(SharedStack.stack().bootstrapServers(), SharedStack.stack().registryUrl(),
                        "run-control-test", dir.resolve("spool"), keys.file()));
        StringWriter out = new StringWriter();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return process.run(new PrintWriter(out, true), new PrintWriter(out, true));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        return new Job(events, exit, out);
    }

    private record Job(Path file, CompletableFuture<Integer> exit, StringWriter out) {
        String output() {
            return out.toString();
        }

        List<JsonNode> events() {
            return Files.exists(file) ? Events.readWhileWritten(file) : List.of();
        }

        /** The first event that matches, once the job has written it. */
        JsonNode await(Predicate<JsonNode> match) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (JsonNode e : events()) {
                    if (match.test(e)) {
                        return e;
                    }
                }
                if (exit.isDone()) {
                    break;
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no such event; the job wrote " + events() + "\n" + output());
        }
    }
}
