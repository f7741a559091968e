package io.entrenar.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.entrenar.trainer.config.ConfigLoader;
import io.entrenar.trainer.config.TrainingConfig;
import io.entrenar.trainer.listen.JsonLinesListener;
import io.entrenar.trainer.model.RunOutcome;

/** Jobs in their own JVM, as {@code entrenar train} runs them: hard crash + resume, and heap exhaustion. */
class TrainProcessTest {
    @TempDir
    Path dir;

    private static final String JOB = """
            model: {arch: mlp, hidden: [32], dropout: 0.1}
            data: {source: digits}
            training:
              epochs: 4
              output_dir: runs
            optimizer: {name: adam, lr: 0.005}
            checkpoint:
              dir: %s
              every_epochs: 1
              keep_last: 2
            seed: 17
            deterministic: true
            """;

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    private record Child(int status, String out, String err) {
    }

    private Child child(Path config, Path events) throws Exception {
        TrainingConfig c = ConfigLoader.load(config, Map.of());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = new TrainProcess(c, config, events, false, List.of())
                .run(new PrintWriter(out, true), new PrintWriter(err, true));
        return new Child(status, out.toString(), err.toString());
    }

    /** Scenarios 51-53: a crash after epoch 2, then a rerun resumes and ends exactly where an uninterrupted run ends. */
    @Test
    void resumesAfterHardCrashWithIdenticalContinuation() throws Exception {
        Path reference = write("reference.yaml", JOB.formatted("ckpt-reference"));
        Path referenceEvents = dir.resolve("reference.jsonl");
        RunOutcome uninterrupted;
        try (JsonLinesListener l = JsonLinesListener.toFile(referenceEvents)) {
            uninterrupted = new Trainer(l).run(ConfigLoader.load(reference, Map.of())).get(0);
        }

        // 1,257 training rows / 32 = 40 steps per epoch: step 81 is the first step of epoch 3.
        Path crashing = write("crashing.yaml", JOB.formatted("ckpt-crash") + "failure: {halt_at_step: 81}\n");
        Path crashEvents = dir.resolve("crash.jsonl");
        Child crashed = child(crashing, crashEvents);
        assertEquals(137, crashed.status(), crashed.err());
        assertTrue(crashed.err().contains("injected hard crash at step 81"), crashed.err());
        List<JsonNode> beforeCrash = Events.read(crashEvents);
        assertEquals(2, Events.of(beforeCrash, "checkpoint").size());
        assertTrue(Events.of(beforeCrash, "run_failed").isEmpty(), "a hard crash leaves no failure record");
        try (var files = Files.list(dir.resolve("ckpt-crash"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no torn temp files");
        }

        Path resuming = write("resuming.yaml", JOB.formatted("ckpt-crash"));
        Path resumeEvents = dir.resolve("resume.jsonl");
        RunOutcome resumed;
        try (JsonLinesListener l = JsonLinesListener.toFile(resumeEvents)) {
            resumed = new Trainer(l).run(ConfigLoader.load(resuming, Map.of())).get(0);
        }
        List<JsonNode> after = Events.read(resumeEvents);
        JsonNode start = Events.of(after, "run_started").get(0);
        assertEquals(80, start.get("resumed_from_step").asLong());
        String crashedId = Events.of(beforeCrash, "run_started").get(0).get("run_id").asText();
        assertNotEquals(crashedId, resumed.runId(), "the resumed run is a run of its own");
        assertEquals(crashedId, start.get("parents").get(0).get("run_id").asText(), "linked to the run it continues");
        assertEquals("RESUMED_FROM", start.get("parents").get(0).get("role").asText());
        assertEquals(81, Events.of(after, "step").get(0).get("step").asLong());

        List<String> full = Events.series(Events.read(referenceEvents));
        List<String> stitched = new java.util.ArrayList<>(Events.series(beforeCrash));
        stitched.addAll(Events.series(after));
        assertEquals(full, stitched, "crash + resume gives the uninterrupted series, step for step");
        assertEquals(uninterrupted.artifact().sha256(), resumed.artifact().sha256(), "and the same final weights");
    }

    /** Scenario 53: SIGTERM mid-epoch checkpoints where the loop stands; the rerun continues step for step. */
    @Test
    void gracefulStopCheckpointsMidEpochAndResumesIdentically() throws Exception {
        Path reference = write("reference.yaml", JOB.formatted("ckpt-reference"));
        Path referenceEvents = dir.resolve("reference.jsonl");
        RunOutcome uninterrupted;
        try (JsonLinesListener l = JsonLinesListener.toFile(referenceEvents)) {
            uninterrupted = new Trainer(l).run(ConfigLoader.load(reference, Map.of())).get(0);
        }

        Path paced = write("paced.yaml", JOB.formatted("ckpt-stop").replace("  epochs: 4\n", "  epochs: 4\n  pace_ms: 15\n"));
        Path events = dir.resolve("stopped.jsonl");
        TrainingConfig config = ConfigLoader.load(paced, Map.of());
        Process child = new ProcessBuilder(new TrainProcess(config, paced, events, false, List.of()).command())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stopped.out").toFile()).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!(Files.exists(events) && Files.readString(events).contains("\"event\":\"epoch\""))) {
            assertTrue(System.nanoTime() < deadline && child.isAlive(), "the child never finished epoch 1");
            Thread.sleep(20);
        }
        Thread.sleep(250);
        child.destroy();
        assertTrue(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(143, child.exitValue(), Files.readString(dir.resolve("stopped.out")));
        List<JsonNode> stopped = Events.read(events);
        JsonNode failed = Events.of(stopped, "run_failed").get(0);
        assertEquals("E_STOPPED", failed.get("error_code").asText());
        JsonNode checkpoint = Events.of(stopped, "checkpoint").get(Events.of(stopped, "checkpoint").size() - 1);
        long stoppedAt = checkpoint.get("step").asLong();
        assertTrue(stoppedAt > 40 && stoppedAt < 80, "stopped inside epoch 2, at step " + stoppedAt);

        Path resumeEvents = dir.resolve("resumed.jsonl");
        RunOutcome resumed;
        try (JsonLinesListener l = JsonLinesListener.toFile(resumeEvents)) {
            resumed = new Trainer(l).run(ConfigLoader.load(write("resume.yaml", JOB.formatted("ckpt-stop")), Map.of())).get(0);
        }
        List<JsonNode> after = Events.read(resumeEvents);
        assertEquals(stoppedAt, Events.of(after, "run_started").get(0).get("resumed_from_step").asLong());
        List<String> stitched = new java.util.ArrayList<>(Events.series(stopped));
        stitched.addAll(Events.series(after));
        assertEquals(Events.series(Events.read(referenceEvents)), stitched);
        assertEquals(uninterrupted.artifact().sha256(), resumed.artifact().sha256());
    }

    @Test
    void heapExhaustionIsCaughtAndReportedAsResourceFailure() throws Exception {
        Path oom = write("oom.yaml", """
                model: {arch: logistic}
                data: {source: iris}
                compute: {heap_plan_mb: 96}
                training: {output_dir: runs}
                failure: {oom: 3}
                """);
        Path events = dir.resolve("oom.jsonl");
        Child c = child(oom, events);
        assertEquals(TrainMain.RUN_FAILED, c.status(), c.out() + c.err());
        JsonNode failed = Events.of(Events.read(events), "run_failed").get(0);
        assertEquals("E_OOM_HEAP", failed.get("error_code").asText());
        assertEquals("resource", failed.get("category").asText());
        assertEquals(3, failed.get("step").asLong());
        assertTrue(failed.get("diagnostic").asText().contains("max heap 96 MB"), failed.toString());
        assertTrue(c.out().contains("FAILED E_OOM_HEAP [resource]"), c.out());
    }

    @Test
    void invalidConfigExitsWithStatusTwoBeforeTraining() throws Exception {
        Path bad = write("bad.yaml", "model: {arch: logistic}\nseed: 1\n");
        TrainingConfig c = ConfigLoader.load(bad, Map.of());
        Files.writeString(bad, "model: {arch: logistc}\n");
        StringWriter err = new StringWriter();
        int status = new TrainProcess(c, bad, null, false, List.of()).run(new PrintWriter(new StringWriter()),
                new PrintWriter(err, true));
        assertEquals(TrainMain.INVALID_CONFIG, status);
        assertTrue(err.toString().contains("bad.yaml:1:15: model.arch: 'logistc' is not one of"), err.toString());
    }
}
