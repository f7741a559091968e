package io.entrenar.trainer.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A validated training job (README "Trainer"). Built only by {@link ConfigLoader}: every value here
 * has passed its type, range and cross-field checks.
 *
 * @param params every resolved leaf (defaults included) as {@code section.key -> text}: what the
 *        lockfile pins and what the run reports
 */
public record TrainingConfig(Path source, String name, ModelSpec model, DataSpec data, ComputeSpec compute,
        TrainingSpec training, OptimizerSpec optimizer, SchedulerSpec scheduler, CheckpointSpec checkpoint,
        MonitoringSpec monitoring, long seed, boolean deterministic, Path lockfile, boolean strict,
        Map<String, String> tags, FineTuning fineTuning, DistillSpec distill, FailureSpec failure,
        SweepSpec sweep, ApprovalSpec approval, SortedMap<String, String> params) {

    public enum Arch {
        LOGISTIC, LINEAR_SGD, MLP, CART, RANDOM_FOREST, XGBOOST, FACTORIZATION_MACHINE;

        /** Trained step by step on our loop (per-step loss, learning rate, gradient norm). */
        public boolean gradientBased() {
            return this == LOGISTIC || this == LINEAR_SGD || this == MLP;
        }
    }

    public enum Activation { RELU, TANH, SIGMOID, GELU }

    public enum Init { AUTO, HE, XAVIER }

    public enum Source { DIGITS, IRIS, WINE, BREAST_CANCER, DIABETES, CSV, SYNTHETIC }

    public enum OptimizerName { SGD, MOMENTUM, ADAGRAD, ADAM, ADAMW }

    public enum SchedulerType { CONSTANT, STEP, COSINE }

    public enum Scaling { STANDARD, NONE }

    /**
     * @param hidden MLP hidden layer widths
     * @param maxDepth trees; 0 means unlimited for CART/forests
     * @param trees forest members / boosting rounds
     * @param factors factorization machine latent dimension
     * @param path, size metadata for models that are recorded, not executed here (e.g. a 7B checkpoint)
     */
    public record ModelSpec(Arch arch, List<Integer> hidden, Activation activation, double dropout, Init init,
            int maxDepth, int trees, double eta, double featureFraction, int factors, String path, String size) {
        public ModelSpec {
            hidden = List.copyOf(hidden);
        }
    }

    /** @param label CSV label column name; validation/test are fractions, train gets the rest */
    public record DataSpec(Source source, Path path, String label, int batchSize, double validation, double test,
            boolean stratify, Scaling scaling, int samples, int features, int classes, double noise) {
    }

    /**
     * @param threads worker threads for native trainers (XGBoost); forced to 1 in deterministic mode
     * @param hourlyRateUsd price of this compute per hour; a run's cost is its wall time at this rate (0: no cost)
     */
    public record ComputeSpec(String device, String precision, int threads, long heapPlanMb, double hourlyRateUsd) {
    }

    /**
     * @param paceMillis sleep after every step so that people can watch a short job live
     * @param outputDir where run directories (model files) go; null means {@code ~/.cache/entrenar/runs}
     */
    public record TrainingSpec(int epochs, int gradientAccumulation, int paceMillis, int effectiveBatch,
            Path outputDir) {
    }

    public record OptimizerSpec(OptimizerName name, double lr, double clipNorm, double clipValue, double momentum,
            double weightDecay, double beta1, double beta2, double epsilon) {
    }

    public record SchedulerSpec(SchedulerType type, int warmupSteps, double minLr, int stepSize, double gamma) {
    }

    /**
     * @param dir null when checkpointing is off
     * @param everySteps also checkpoint inside epochs every N optimiser steps (0 = only at epoch ends)
     */
    public record CheckpointSpec(Path dir, int everyEpochs, int everySteps, int keepLast, boolean resume) {
        public boolean enabled() {
            return dir != null;
        }
    }

    /** @param logEverySteps report every Nth optimiser step to the listener */
    public record MonitoringSpec(int logEverySteps, Path events) {
    }

    /** Large-model fine-tuning settings recorded as metadata (not executed on this trainer). */
    public record FineTuning(Lora lora, Quantize quantize, String teacherPath, String studentPath) {
    }

    public record Lora(int rank, double alpha, List<String> targetModules, double dropout) {
    }

    public record Quantize(int bits, boolean doubleQuant) {
    }

    /** A student trained on a teacher's temperature-softened outputs; {@code teacherConfig} is trained first. */
    public record DistillSpec(double temperature, double alpha, Path teacherConfig) {
    }

    /**
     * Faults to inject (0 = off). {@code nanAtStep}: a NaN in that step's input batch, or with
     * {@code lrBlowup} the learning rate multiplied by that factor from that step on.
     */
    public record FailureSpec(long nanAtStep, double lrBlowup, long oomAtStep, long haltAtStep, int haltExitCode,
            long stallAtStep, int stallSeconds) {
        public static final FailureSpec NONE = new FailureSpec(0, 0, 0, 0, 137, 0, 0);

        public boolean any() {
            return nanAtStep > 0 || oomAtStep > 0 || haltAtStep > 0 || stallAtStep > 0;
        }
    }

    /**
     * Human approval gates (README "Control commands"): the loop waits, AWAITING_APPROVAL, until
     * {@code entrenar runs approve|reject RUN} or the timeout.
     *
     * @param afterEpochs wait after each of these epochs
     * @param beforeModel wait before the final model is written
     * @param metric an epoch metric (train_loss, val_loss, val_accuracy, val_macro_f1) whose first
     *        crossing of {@code above} or {@code below} (exactly one is set, the other NaN) opens a gate, or null
     * @param continueOnTimeout what an unanswered gate means: continue, or (false) stop the run
     */
    public record ApprovalSpec(List<Integer> afterEpochs, boolean beforeModel, String metric, double above, double below,
            java.time.Duration timeout, boolean continueOnTimeout) {
        public static final ApprovalSpec NONE = new ApprovalSpec(List.of(), false, null, Double.NaN, Double.NaN,
                java.time.Duration.ofHours(1), false);
        public static final List<String> METRICS = List.of("train_loss", "val_loss", "val_accuracy", "val_macro_f1");

        public ApprovalSpec {
            afterEpochs = List.copyOf(afterEpochs);
        }

        public boolean any() {
            return !afterEpochs.isEmpty() || beforeModel || metric != null;
        }
    }

    /** @param space dotted config path -> YAML values each trial may take */
    public record SweepSpec(String method, int trials, Map<String, List<Object>> space) {
    }
}
