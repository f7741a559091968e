package io.entrenar.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private TrainingConfig parse(String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file, env);
    }

    private List<ConfigError> errors(String yaml, Map<String, String> env) {
        return assertThrows(InvalidTrainingConfigException.class, () -> parse(yaml, env)).errors();
    }

    private static ConfigError find(List<ConfigError> errors, String path) {
        return errors.stream().filter(e -> e.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no error for " + path + " in " + errors));
    }

    @Test
    void approvalGatesAreReadOnlyWhenDeclaredAndTheirMistakesNamedWhere() throws IOException {
        TrainingConfig plain = parse("model: {arch: mlp}\ndata: {source: iris}\n", Map.of());
        assertEquals(TrainingConfig.ApprovalSpec.NONE, plain.approval());
        assertTrue(plain.params().keySet().stream().noneMatch(k -> k.startsWith("approval.")), "no gate, no approval params");

        TrainingConfig gated = parse("""
                model: {arch: mlp}
                data: {source: iris}
                training: {epochs: 5}
                approval: {after_epochs: [2, 4], metric: val_loss, above: 1.5, timeout_s: 30, on_timeout: continue}
                """, Map.of());
        assertEquals(List.of(2, 4), gated.approval().afterEpochs());
        assertEquals(1.5, gated.approval().above());
        assertTrue(Double.isNaN(gated.approval().below()));
        assertEquals(java.time.Duration.ofSeconds(30), gated.approval().timeout());
        assertTrue(gated.approval().continueOnTimeout());

        List<ConfigError> errors = errors("""
                model: {arch: mlp}
                data: {source: iris}
                training: {epochs: 3}
                approval:
                  after_epochs: [7]
                  metric: val_acc
                  on_timeout: wait
                """, Map.of());
        ConfigError epoch = find(errors, "approval.after_epochs[0]");
        assertEquals(List.of(5, 18), List.of(epoch.line(), epoch.column()));
        assertTrue(find(errors, "approval.metric").message().contains("not one of train_loss|val_loss|val_accuracy|val_macro_f1"));
        assertTrue(errors.stream().anyMatch(e -> e.message().contains("exactly one of above: or below:")), errors.toString());
        assertTrue(find(errors, "approval.on_timeout").message().contains("stop|continue"));

        ConfigError tribuo = find(errors("model: {arch: xgboost}\ndata: {source: iris}\napproval: {after_epochs: 1}\n", Map.of()),
                "approval");
        assertTrue(tribuo.message().contains("use before_model: true"), tribuo.message());
    }

    @Test
    void reportsEveryErrorWithLineAndColumn() {
        List<ConfigError> errors = errors("""
                model:
                  arch: mlpp
                  hiden: [64]
                data:
                  source: digits
                  batch_size: -3
                optimizer:
                  name: adam
                  lr: fast
                trainig:
                  epochs: 3
                """, Map.of());
        assertEquals(5, errors.size(), errors.toString());
        ConfigError arch = find(errors, "model.arch");
        assertEquals(List.of(2, 9), List.of(arch.line(), arch.column()));
        assertTrue(arch.message().contains("did you mean mlp?"), arch.message());
        ConfigError hidden = find(errors, "model.hiden");
        assertEquals(List.of(3, 3), List.of(hidden.line(), hidden.column()));
        assertTrue(hidden.message().contains("did you mean hidden?"), hidden.message());
        ConfigError batch = find(errors, "data.batch_size");
        assertEquals(List.of(6, 15), List.of(batch.line(), batch.column()));
        ConfigError lr = find(errors, "optimizer.lr");
        assertEquals(List.of(9, 7), List.of(lr.line(), lr.column()));
        assertTrue(lr.message().contains("expected a number, got 'fast'"), lr.message());
        ConfigError section = find(errors, "trainig");
        assertEquals(List.of(10, 1), List.of(section.line(), section.column()));
        assertTrue(section.message().contains("did you mean training?"));
        assertTrue(errors.get(0).line() <= errors.get(errors.size() - 1).line(), "errors come in file order");
        assertTrue(errors.get(0).toString().startsWith(dir.resolve("job.yaml") + ":2:9: model.arch: "),
                errors.get(0).toString());
    }

    @Test
    void yamlSyntaxErrorsAreLocated() {
        List<ConfigError> errors = errors("model:\n  arch: [logistic\ndata: {\n", Map.of());
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).line() >= 2, errors.toString());
        assertTrue(errors.get(0).message().startsWith("not valid YAML"), errors.toString());
    }

    @Test
    void crossFieldRules() {
        List<ConfigError> errors = errors("""
                model:
                  arch: random_forest
                  hidden: [32]
                data:
                  batch_size: 4
                  split: {train: 0.5, validation: 0.2, test: 0.2}
                training:
                  gradient_accumulation: 16
                  effective_batch: 32
                optimizer:
                  name: adam
                failure:
                  nan_at_step: 3
                distill:
                  temperature: 2
                """, Map.of());
        assertTrue(find(errors, "model.hidden").message().contains("applies to arch mlp"));
        assertTrue(find(errors, "training.effective_batch").message().contains("4 x 16 = 64"));
        assertTrue(find(errors, "data.split.train").message().contains("must be 1"));
        assertTrue(find(errors, "optimizer").message().contains("gradient-trained"));
        assertTrue(find(errors, "failure.nan_at_step").message().contains("step loop"));
        assertTrue(errors.stream().anyMatch(e -> e.message().contains("teacher.config")), errors.toString());
    }

    @Test
    void defaultsAndScientificNotation() throws IOException {
        TrainingConfig c = parse("""
                optimizer: {name: adamw, lr: 1e-4}
                scheduler: {type: cosine, warmup_steps: 100, min_lr: 1e-6}
                """, Map.of());
        assertEquals(TrainingConfig.Arch.LOGISTIC, c.model().arch());
        assertEquals(1e-4, c.optimizer().lr());
        assertEquals(1e-6, c.scheduler().minLr());
        assertEquals(0.01, c.optimizer().weightDecay(), "AdamW's default decoupled weight decay");
        assertEquals("32", c.params().get("data.batch_size"));
        assertEquals("42", c.params().get("seed"));
        assertNull(c.sweep());
    }

    @Test
    void environmentOverridesWinAndUnknownOnesAreErrors() throws IOException {
        TrainingConfig c = parse("optimizer:\n  lr: 0.1\n", Map.of("ENTRENAR_TRAIN_OPTIMIZER_LR", "0.01",
                "ENTRENAR_TRAIN_DATA_BATCH_SIZE", "64", "PATH", "/bin"));
        assertEquals(0.01, c.optimizer().lr());
        assertEquals(64, c.data().batchSize());
        assertEquals("0.01", c.params().get("optimizer.lr"));

        List<ConfigError> errors = errors("seed: 1\n", Map.of("ENTRENAR_TRAIN_OPTIMIZER_LRR", "0.01",
                "ENTRENAR_TRAIN_TRAINING_EPOCHS", "zero"));
        assertTrue(find(errors, "ENTRENAR_TRAIN_OPTIMIZER_LRR").message().contains("did you mean ENTRENAR_TRAIN_OPTIMIZER_LR?"));
        ConfigError epochs = find(errors, "training.epochs");
        assertEquals("environment ENTRENAR_TRAIN_TRAINING_EPOCHS", epochs.origin());
    }

    @Test
    void lockfilePinsParametersAndRefusesDrift() throws IOException {
        String yaml = "lockfile: job.lock\noptimizer:\n  lr: 0.05\n";
        TrainingConfig first = parse(yaml, Map.of());
        Lockfile.write(first, first.lockfile());
        assertEquals(0.05, parse(yaml, Map.of()).optimizer().lr(), "an unchanged config loads");

        List<ConfigError> drift = errors(yaml, Map.of("ENTRENAR_TRAIN_OPTIMIZER_LR", "0.5"));
        ConfigError lr = find(drift, "optimizer.lr");
        assertTrue(lr.message().contains("locked 0.05, config now 0.5"), lr.message());

        TrainingConfig lenient = parse("strict: false\n" + yaml.replace("0.05", "0.07"), Map.of());
        assertEquals(0.07, lenient.optimizer().lr(), "strict: false warns instead of refusing");
    }

    @Test
    void everyExampleConfigValidates() throws IOException {
        Path examples = Path.of("examples");
        try (Stream<Path> files = Files.list(examples)) {
            List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertTrue(yamls.size() >= 8, yamls.toString());
            for (Path p : yamls) {
                TrainingConfig c = ConfigLoader.load(p, Map.of());
                assertTrue(c.params().size() > 20, p.toString());
            }
        }
    }
}
