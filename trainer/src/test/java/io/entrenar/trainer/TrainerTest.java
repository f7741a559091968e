package io.entrenar.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.entrenar.trainer.config.ConfigLoader;
import io.entrenar.trainer.config.TrainingConfig;
import io.entrenar.trainer.listen.JsonLinesListener;
import io.entrenar.trainer.model.RunOutcome;

/** Real training on sklearn's digits through {@link Trainer}, observed through the JSON-lines listener. */
class TrainerTest {
    @TempDir
    Path dir;

    private TrainingConfig config(String name, String yaml) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml.contains("training:\n") ? yaml.replace("training:\n", "training:\n  output_dir: runs\n")
                : "training:\n  output_dir: runs\n" + yaml);
        return ConfigLoader.load(file, Map.of());
    }

    private record Result(List<RunOutcome> outcomes, List<JsonNode> events) {
        RunOutcome only() {
            assertEquals(1, outcomes.size());
            return outcomes.get(0);
        }
    }

    private Result train(TrainingConfig config, String eventsName) {
        Path events = dir.resolve(eventsName + ".jsonl");
        List<RunOutcome> outcomes;
        try (JsonLinesListener listener = JsonLinesListener.toFile(events)) {
            outcomes = new Trainer(listener).run(config);
        }
        return new Result(outcomes, Events.read(events));
    }

    @Test
    void logisticRegressionLearnsDigits() throws IOException {
        Result r = train(config("logistic", """
                model: {arch: logistic}
                data: {source: digits}
                training:
                  epochs: 8
                optimizer: {name: adam, lr: 0.01}
                scheduler: {type: cosine, warmup_steps: 20, min_lr: 1e-4}
                """), "logistic");
        RunOutcome run = r.only();
        assertTrue(run.succeeded(), String.valueOf(run.failure()));
        assertTrue(run.metrics().get("test_accuracy") >= 0.93, run.metrics().toString());
        List<JsonNode> steps = Events.of(r.events(), "step");
        assertEquals(8 * 40, steps.size(), "1,257 training rows in batches of 32: 40 steps per epoch");
        assertTrue(steps.get(0).get("lr").asDouble() < steps.get(19).get("lr").asDouble(), "warm-up raises the rate");
        assertTrue(steps.get(steps.size() - 1).get("loss").asDouble() < steps.get(0).get("loss").asDouble());
        assertTrue(steps.stream().allMatch(s -> s.get("grad_norm").asDouble() > 0));
        assertEquals(8, Events.of(r.events(), "epoch").size());
        JsonNode finished = Events.of(r.events(), "run_finished").get(0);
        assertEquals(10, finished.get("confusion_matrix").size());
        int total = 0;
        for (JsonNode row : finished.get("confusion_matrix")) {
            for (JsonNode cell : row) {
                total += cell.asInt();
            }
        }
        assertEquals(269, total, "the test split (15 % of each class, rounded per class) is in the confusion matrix");
        JsonNode started = Events.of(r.events(), "run_started").get(0);
        assertEquals("0.01", started.get("params").get("optimizer.lr").asText());
        assertEquals(64, started.get("dataset_sha256").asText().length());
    }

    @Test
    void mlpLearnsDigits() throws IOException {
        Result r = train(config("mlp", """
                model: {arch: mlp, hidden: [64], activation: relu, dropout: 0.1}
                data: {source: digits}
                training:
                  epochs: 10
                optimizer: {name: adam, lr: 0.003}
                """), "mlp");
        RunOutcome run = r.only();
        assertTrue(run.metrics().get("test_accuracy") >= 0.95, run.metrics().toString());
        assertTrue(run.metrics().get("test_macro_f1") >= 0.94, run.metrics().toString());
    }

    /** Scenario 5: same seed, deterministic: identical metric series and identical model sha256. */
    @Test
    void sameSeedGivesIdenticalSeriesAndModelHash() throws IOException {
        String yaml = """
                model: {arch: mlp, hidden: [32], dropout: 0.2}
                data: {source: digits}
                training:
                  epochs: 3
                optimizer: {name: adam, lr: 0.005}
                seed: 42
                deterministic: true
                """;
        Result a = train(config("det-a", yaml), "det-a");
        Result b = train(config("det-b", yaml), "det-b");
        assertNotEquals(a.only().runId(), b.only().runId());
        assertEquals(Events.series(a.events()), Events.series(b.events()));
        assertEquals(a.only().artifact().sha256(), b.only().artifact().sha256());
        assertEquals(a.only().artifact().sha256(), sha256(a.only().artifact().path()), "the hash is the file's");
        Result c = train(config("det-c", yaml.replace("seed: 42", "seed: 43")), "det-c");
        assertNotEquals(a.only().artifact().sha256(), c.only().artifact().sha256(), "another seed, another model");
    }

    /** Scenario 7: a NaN in the input halts training in that very batch, with a structured failure. */
    @Test
    void nanInputHaltsWithinOneBatch() throws IOException {
        Result r = train(config("nan", """
                model: {arch: logistic}
                data: {source: digits}
                failure: {nan_input: true, nan_at_step: 7}
                """), "nan");
        RunOutcome run = r.only();
        assertEquals("E_NONFINITE_INPUT", run.failure().errorCode());
        assertEquals("DATA", run.failure().category().name());
        assertEquals(7, run.failure().step());
        List<JsonNode> steps = Events.of(r.events(), "step");
        assertEquals(6, steps.size(), "steps 1-6 ran; step 7 stopped before its update");
        JsonNode failed = Events.of(r.events(), "run_failed").get(0);
        assertEquals("data", failed.get("category").asText());
        assertTrue(failed.get("remediation").asText().length() > 10);
        assertTrue(failed.get("stack").asText().contains("StepTrainer"));
        assertTrue(Events.of(r.events(), "run_finished").isEmpty());
    }

    @Test
    void aRandomForestReportsAFiniteTrainingLossEveryRoundSoNothingLooksNonFinite() throws IOException {
        Result r = train(config("forest", """
                model: {arch: random_forest, trees: 5}
                data: {source: iris}
                seed: 3
                """), "forest");
        List<JsonNode> rounds = Events.of(r.events(), "epoch");
        assertEquals(5, rounds.size());
        for (JsonNode round : rounds) {
            assertTrue(Double.isFinite(round.get("train_loss").asDouble()) && round.get("train_loss").isNumber(), round.toString());
        }
    }

    @Test
    void learningRateBlowUpHaltsWithinOneBatch() throws IOException {
        Result r = train(config("blowup", """
                model: {arch: logistic}
                data: {source: digits}
                optimizer: {name: sgd, lr: 0.1}
                failure: {lr_blowup: 1e300, nan_at_step: 12}
                """), "blowup");
        RunOutcome run = r.only();
        assertEquals("MODEL", run.failure().category().name());
        // The overflowing weights make the next loss non-finite; it is reported as a step, so Andon sees the NaN.
        assertEquals("E_NONFINITE_LOSS", run.failure().errorCode());
        assertTrue(run.failure().step() == 12 || run.failure().step() == 13, "halted at step " + run.failure().step());
        List<JsonNode> steps = Events.of(r.events(), "step");
        JsonNode last = steps.get(steps.size() - 1);
        assertEquals(run.failure().step(), last.get("step").asLong());
        assertTrue(last.get("lr").asDouble() > 1e298, "the blown-up rate is visible in the last step event");
        assertTrue(List.of("NaN", "Infinity").contains(last.get("loss").asText()), "the non-finite loss is logged: " + last);
    }

    @Test
    void stallReportsAnInfraFailure() throws IOException {
        long t0 = System.nanoTime();
        RunOutcome run = train(config("stall", """
                model: {arch: logistic}
                data: {source: iris}
                failure: {stall_at_step: 2, stall_seconds: 1}
                """), "stall").only();
        assertTrue(System.nanoTime() - t0 >= 1_000_000_000L);
        assertEquals("E_STALL", run.failure().errorCode());
        assertEquals("INFRA", run.failure().category().name());
    }

    /** Scenario 34: the student learns from the teacher's softened outputs and names it as a TEACHER parent. */
    @Test
    void distillationTrainsTeacherThenStudentWithLineage() throws IOException {
        Files.writeString(dir.resolve("teacher.yaml"), """
                model: {arch: mlp, hidden: [64]}
                data: {source: digits}
                training: {epochs: 6, output_dir: runs}
                optimizer: {name: adam, lr: 0.003}
                seed: 3
                """);
        Result r = train(config("student", """
                teacher: {config: teacher.yaml}
                distill: {temperature: 4.0, alpha: 0.7}
                model: {arch: logistic}
                data: {source: digits}
                training:
                  epochs: 6
                seed: 3
                """), "distill");
        assertEquals(2, r.outcomes().size());
        RunOutcome teacher = r.outcomes().get(0);
        RunOutcome student = r.outcomes().get(1);
        assertTrue(teacher.succeeded() && student.succeeded());
        List<JsonNode> starts = Events.of(r.events(), "run_started");
        assertEquals(0, starts.get(0).get("parents").size());
        JsonNode parent = starts.get(1).get("parents").get(0);
        assertEquals(teacher.runId(), parent.get("run_id").asText());
        assertEquals("TEACHER", parent.get("role").asText());
        assertEquals("distillation", starts.get(1).get("tags").get("paradigm").asText());
        assertTrue(student.metrics().get("test_accuracy") >= 0.9 * teacher.metrics().get("test_accuracy"),
                "the student keeps 90 % of the teacher's accuracy: " + student.metrics() + " vs " + teacher.metrics());
    }

    @Test
    void gridSweepRunsEveryTrialUnderOneSweepId() throws IOException {
        Result r = train(config("sweep", """
                model: {arch: logistic}
                data: {source: iris}
                training:
                  epochs: 3
                sweep:
                  method: grid
                  params:
                    optimizer.lr: [0.1, 0.01]
                    data.batch_size: [8, 16]
                """), "sweep");
        assertEquals(4, r.outcomes().size());
        JsonNode sweep = Events.of(r.events(), "sweep_started").get(0);
        List<JsonNode> starts = Events.of(r.events(), "run_started");
        Set<String> combos = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            JsonNode s = starts.get(i);
            assertEquals(sweep.get("sweep_id").asText(), s.get("sweep_id").asText());
            assertEquals(i + 1, s.get("trial").asInt());
            combos.add(s.get("params").get("optimizer.lr").asText() + "/" + s.get("params").get("data.batch_size").asText());
        }
        assertEquals(Set.of("0.1/8", "0.1/16", "0.01/8", "0.01/16"), combos);
    }

    @Test
    void tribuoModelsReportPerTreeAndPerStepMetrics() throws IOException {
        Result forest = train(config("rf", """
                model: {arch: random_forest, trees: 12}
                data: {source: digits}
                seed: 9
                """), "rf");
        assertTrue(forest.only().metrics().get("test_accuracy") >= 0.9, forest.only().metrics().toString());
        List<JsonNode> rounds = Events.of(forest.events(), "epoch");
        assertEquals(12, rounds.size(), "one validation point per tree");
        assertEquals(forest.only().metrics().get("val_accuracy"), rounds.get(11).get("val_accuracy").asDouble(), 1e-12,
                "the vote of all 12 trees is the forest's own prediction");

        Result xgb = train(config("xgb", """
                model: {arch: xgboost, trees: 10, max_depth: 4}
                data: {source: digits}
                seed: 9
                deterministic: true
                """), "xgb");
        List<JsonNode> boost = Events.of(xgb.events(), "epoch");
        assertEquals(10, boost.size());
        assertEquals(xgb.only().metrics().get("val_accuracy"), boost.get(9).get("val_accuracy").asDouble(), 1e-12);
        Result xgb2 = train(config("xgb2", """
                model: {arch: xgboost, trees: 10, max_depth: 4}
                data: {source: digits}
                seed: 9
                deterministic: true
                """), "xgb2");
        assertEquals(xgb.only().artifact().canonicalSha256(), xgb2.only().artifact().canonicalSha256());
        assertEquals("tribuo-model-proto", xgb.only().artifact().format());

        Result fm = train(config("fm", """
                model: {arch: factorization_machine, factors: 4}
                data: {source: digits}
                training:
                  epochs: 2
                optimizer: {name: adagrad, lr: 0.1}
                """), "fm");
        assertTrue(fm.only().metrics().get("test_accuracy") >= 0.85, fm.only().metrics().toString());
        List<JsonNode> steps = Events.of(fm.events(), "step");
        assertTrue(steps.size() >= 50, "Tribuo's logged losses arrive as step events: " + steps.size());
        assertEquals(0.1, steps.get(0).get("lr").asDouble(), 1e-12);
    }

    private static String sha256(Path file) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
