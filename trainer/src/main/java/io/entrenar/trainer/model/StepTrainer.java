package io.entrenar.trainer.model;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.tribuo.math.Parameters;
import org.tribuo.math.la.Tensor;

import io.entrenar.trainer.config.TrainingConfig;
import io.entrenar.trainer.config.TrainingConfig.Arch;
import io.entrenar.trainer.config.TrainingConfig.FailureSpec;
import io.entrenar.trainer.data.Dataset;
import io.entrenar.trainer.data.StandardScaler;
import io.entrenar.trainer.listen.Checkpoint;
import io.entrenar.trainer.listen.ModelArtifact;
import io.entrenar.trainer.listen.RunListener;
import io.entrenar.trainer.listen.RunStop;
import io.entrenar.trainer.listen.RunSummary;
import io.entrenar.trainer.listen.TrainingFailure;
import io.entrenar.trainer.listen.TrainingFailure.Category;

/**
 * The step loop for logistic, linear_sgd and mlp: shuffled mini-batches with gradient accumulation,
 * one {@link TrainingOptimiser} step per accumulated batch, per-step telemetry, per-epoch validation,
 * checkpoints, and the injected faults. Every step checks its input, loss, gradient and update for
 * non-finite values and halts in that same step with a structured failure.
 */
public final class StepTrainer {
    private final TrainingConfig config;
    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;
    private final StandardScaler scaler;
    private final double[][] soft;
    private final Path outputDir;
    private final Rng rng;
    private final StepModel model;
    private final TrainingOptimiser optimiser;
    private final long stepsPerEpoch;
    private final CheckpointStore checkpoints;
    private CheckpointStore.State resumed;

    /**
     * @param soft teacher distributions for the train rows (distillation), or null
     * @param outputDir parent of the per-run directories that receive model files
     */
    public StepTrainer(TrainingConfig config, Dataset train, Dataset validation, Dataset test, StandardScaler scaler,
            double[][] soft, Path outputDir) {
        this.config = config;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.scaler = scaler;
        this.soft = soft;
        this.outputDir = outputDir;
        this.rng = new Rng(config.seed());
        int features = train.features();
        int classes = train.classes();
        var m = config.model();
        this.model = switch (m.arch()) {
            case LOGISTIC -> new LinearModel(features, classes, true);
            case LINEAR_SGD -> new LinearModel(features, classes, soft != null);
            case MLP -> new MlpModel(features, m.hidden(), classes, m.activation(), m.dropout(), m.init(), rng);
            default -> throw new IllegalArgumentException("not a step-loop model: " + m.arch());
        };
        long perStep = (long) config.data().batchSize() * config.training().gradientAccumulation();
        this.stepsPerEpoch = (train.rows() + perStep - 1) / perStep;
        long total = stepsPerEpoch * config.training().epochs();
        this.optimiser = new TrainingOptimiser(config.optimizer(),
                new LearningRateSchedule(config.scheduler(), config.optimizer().lr(), total));
        optimiser.initialise(model.parameters());
        FailureSpec f = config.failure();
        if (f.lrBlowup() > 0) {
            optimiser.blowUpLearningRate(f.lrBlowup(), f.nanAtStep());
        }
        this.checkpoints = config.checkpoint().enabled()
                ? new CheckpointStore(config.checkpoint().dir(), config.checkpoint().keepLast(), configHash(config))
                : null;
    }

    public long plannedSteps() {
        return stepsPerEpoch * config.training().epochs();
    }

    /** Where a resumed run picks up: the checkpointed run id, completed epochs and steps. */
    public record Resumed(String runId, int epoch, long step) {
    }

    /** Restores the newest matching checkpoint, if resuming is on; returns its state (run id, epoch, step). */
    public Optional<Resumed> resume() throws IOException {
        if (checkpoints == null || !config.checkpoint().resume()) {
            return Optional.empty();
        }
        Optional<CheckpointStore.State> state = checkpoints.restoreLatest(model.parameters().get(), optimiser.state());
        state.ifPresent(s -> {
            optimiser.restore(s.step());
            rng.restore(s.rngState());
            resumed = s;
        });
        return state.map(s -> new Resumed(s.runId(), s.epoch(), s.step()));
    }

    /** Runs from {@code startEpoch} (0 for a fresh run). */
    public RunOutcome train(String runId, RunListener run, int startEpoch, long startStep) {
        long started = System.currentTimeMillis();
        long step = startStep;
        int epoch = startEpoch;
        FailureSpec faults = config.failure();
        int batch = config.data().batchSize();
        int accumulation = config.training().gradientAccumulation();
        int logEvery = config.monitoring().logEverySteps();
        int pace = config.training().paceMillis();
        Parameters params = model.parameters();
        Tensor[] acc = params.getEmptyCopy();
        int[] order = new int[train.rows()];
        double[] row = new double[train.features()];
        int everySteps = config.checkpoint().everySteps();
        ControlPoints control = new ControlPoints(run, config.approval());
        try {
            for (epoch = startEpoch + 1; epoch <= config.training().epochs(); epoch++) {
                double epochLoss = 0;
                int epochRows = 0;
                int pos = 0;
                if (resumed != null && resumed.order() != null && epoch == startEpoch + 1) {
                    // Continue the interrupted epoch: same order, same position, same running loss.
                    System.arraycopy(resumed.order(), 0, order, 0, order.length);
                    pos = resumed.position();
                    epochLoss = resumed.epochLoss();
                    epochRows = resumed.epochRows();
                } else {
                    for (int i = 0; i < order.length; i++) {
                        order[i] = i;
                    }
                    rng.shuffle(order);
                }
                resumed = null;
                while (pos < order.length) {
                    String stop = control.beforeStep(step, epoch);
                    if (stop != null) {
                        throw stopped(stop, run, new CheckpointStore.State(runId, epoch - 1, step, rng.state(),
                                order.clone(), pos, epochLoss, epochRows), epoch);
                    }
                    if (StopSignal.requested()) {
                        String saved = "";
                        if (checkpoints != null) {
                            Checkpoint c = checkpoints.write(new CheckpointStore.State(runId, epoch - 1, step, rng.state(),
                                    order.clone(), pos, epochLoss, epochRows), params.get(), optimiser.state());
                            run.checkpointWritten(c);
                            saved = "; checkpoint " + c.path() + " written, rerun the same config to resume";
                        }
                        throw new Failures.TrainingHalted(Failures.of("E_STOPPED", Category.INFRA,
                                "stopped by a signal after step " + step + saved,
                                checkpoints != null ? "rerun the same config: it resumes from the checkpoint"
                                        : "set checkpoint.dir to be able to resume stopped runs", null, step, epoch));
                    }
                    long next = step + 1;
                    inject(faults, next, epoch, run);
                    for (Tensor t : acc) {
                        t.scaleInPlace(0);
                    }
                    double lossSum = 0;
                    int n = 0;
                    int end = Math.min(order.length, pos + batch * accumulation);
                    for (; pos < end; pos++, n++) {
                        int r = order[pos];
                        System.arraycopy(train.x()[r], 0, row, 0, row.length);
                        if (faults.nanAtStep() == next && faults.lrBlowup() == 0 && n == 0) {
                            row[0] = Double.NaN;
                        }
                        checkInput(row, r, next, epoch);
                        lossSum += model.accumulate(row, train.y()[r], soft == null ? null : soft[r],
                                config.distill() == null ? 0 : config.distill().alpha(),
                                config.distill() == null ? 1 : config.distill().temperature(), acc, true, rng);
                    }
                    for (Tensor t : acc) {
                        t.scaleInPlace(1.0 / n);
                    }
                    double loss = lossSum / n;
                    double gradNorm = TrainingOptimiser.norm(acc);
                    Tensor[] delta = optimiser.step(acc, 1.0);
                    step = next;
                    if (!Double.isFinite(loss) || !Double.isFinite(gradNorm)) {
                        run.step(step, epoch, loss, optimiser.lastLearningRate(), gradNorm);
                        throw new Failures.TrainingHalted(Failures.of(
                                Double.isFinite(loss) ? "E_NONFINITE_GRADIENT" : "E_NONFINITE_LOSS", Category.MODEL,
                                (Double.isFinite(loss) ? "gradient norm " : "loss ") + "became " + (Double.isFinite(loss) ? gradNorm : loss)
                                        + " at step " + step + " (learning rate " + optimiser.lastLearningRate()
                                        + "); training halted before applying the update",
                                "lower optimizer.lr, add optimizer.clip_norm, lengthen scheduler.warmup_steps, "
                                        + "and check the inputs for extreme values", null, step, epoch));
                    }
                    double updateNorm = TrainingOptimiser.norm(delta);
                    if (!Double.isFinite(updateNorm)) {
                        run.step(step, epoch, loss, optimiser.lastLearningRate(), gradNorm);
                        throw new Failures.TrainingHalted(Failures.of("E_NONFINITE_UPDATE", Category.MODEL,
                                "the optimiser produced a non-finite update at step " + step + " (learning rate "
                                        + optimiser.lastLearningRate() + ")",
                                "lower optimizer.lr or add optimizer.clip_norm", null, step, epoch));
                    }
                    params.update(delta);
                    epochLoss += lossSum;
                    epochRows += n;
                    if (step % logEvery == 0) {
                        run.step(step, epoch, loss, optimiser.lastLearningRate(), gradNorm);
                    }
                    if (checkpoints != null && everySteps > 0 && step % everySteps == 0 && pos < order.length) {
                        run.checkpointWritten(checkpoints.write(new CheckpointStore.State(runId, epoch - 1, step,
                                rng.state(), order.clone(), pos, epochLoss, epochRows), params.get(), optimiser.state()));
                    }
                    if (pace > 0) {
                        Thread.sleep(pace);
                    }
                }
                Evaluation val = evaluate(validation);
                double trainLoss = epochLoss / Math.max(1, epochRows);
                run.epoch(epoch, step, trainLoss, val.loss(), val.accuracy(), val.macroF1());
                if (checkpoints != null && epoch % config.checkpoint().everyEpochs() == 0) {
                    Checkpoint c = checkpoints.write(new CheckpointStore.State(runId, epoch, step, rng.state(), null, 0,
                            0, 0), params.get(), optimiser.state());
                    run.checkpointWritten(c);
                }
                String stop = control.afterEpoch(epoch, step, trainLoss, val.loss(), val.accuracy(), val.macroF1());
                if (stop != null) {
                    throw stopped(stop, run, new CheckpointStore.State(runId, epoch, step, rng.state(), null, 0, 0, 0),
                            epoch);
                }
            }
            epoch = config.training().epochs();
            String stop = control.beforeModel(step, epoch);
            if (stop != null) {
                throw stopped(stop, run, new CheckpointStore.State(runId, epoch, step, rng.state(), null, 0, 0, 0), epoch);
            }
            Evaluation testEval = evaluate(test);
            Evaluation val = evaluate(validation);
            ModelArtifact artifact = writeModel(runId);
            run.artifactWritten(artifact);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("test_accuracy", testEval.accuracy());
            metrics.put("test_macro_f1", testEval.macroF1());
            metrics.put("test_loss", testEval.loss());
            metrics.put("val_accuracy", val.accuracy());
            metrics.put("val_macro_f1", val.macroF1());
            run.finished(new RunSummary(metrics, train.labels(), testEval.confusion(), step, epoch,
                    System.currentTimeMillis() - started));
            run.flush();
            return RunOutcome.completed(runId, metrics, artifact, model::logits);
        } catch (Stopped e) {
            run.stopped(e.stop);
            run.flush();
            return RunOutcome.stopped(runId, e.stop);
        } catch (Failures.TrainingHalted e) {
            return failed(runId, run, e.failure());
        } catch (OutOfMemoryError e) {
            return failed(runId, run, Failures.outOfMemory(e, step + 1, epoch, batch));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(runId, run, Failures.of("E_INTERRUPTED", Category.INFRA, "training interrupted at step " + step,
                    "rerun; with checkpoint.dir set it resumes from the last checkpoint", e, step, epoch));
        } catch (IOException e) {
            return failed(runId, run, Failures.of("E_IO", Category.INFRA, "I/O failed at step " + step + ": " + e.getMessage(),
                    "check free disk space and permissions of checkpoint.dir and the output directory", e, step, epoch));
        } catch (RuntimeException e) {
            // A bug (ours or a library's) still ends the run with a record, not a silent JVM exit.
            return failed(runId, run, Failures.of("E_UNEXPECTED", Category.MODEL, "unexpected " + e + " at step " + step,
                    "report it with the stack and the config; rerun resumes from the last checkpoint", e, step, epoch));
        }
    }

    /** Ends the run on purpose (a STOP command or an approval gate): no failure, nothing to report but where to resume. */
    private static final class Stopped extends Exception {
        private final RunStop stop;

        Stopped(RunStop stop) {
            super(stop.reason(), null, false, false);
            this.stop = stop;
        }
    }

    /** Writes the checkpoint a rerun resumes from (when checkpoint.dir is set) and describes the stop. */
    private Stopped stopped(String reason, RunListener run, CheckpointStore.State state, int epoch) throws IOException {
        Checkpoint written = null;
        if (checkpoints != null) {
            written = checkpoints.write(state, model.parameters().get(), optimiser.state());
            run.checkpointWritten(written);
        }
        return new Stopped(new RunStop(reason, state.step(), epoch, written));
    }

    private RunOutcome failed(String runId, RunListener run, TrainingFailure failure) {
        run.failed(failure);
        run.flush();
        return RunOutcome.failed(runId, failure);
    }

    private void inject(FailureSpec f, long step, int epoch, RunListener run) throws InterruptedException {
        if (f.haltAtStep() == step) {
            run.flush();
            System.err.println("entrenar: injected hard crash at step " + step + " (Runtime.halt(" + f.haltExitCode() + "))");
            Runtime.getRuntime().halt(f.haltExitCode());
        }
        if (f.oomAtStep() == step) {
            Failures.exhaustHeap();
        }
        if (f.stallAtStep() == step) {
            long t0 = System.nanoTime();
            Thread.sleep(f.stallSeconds() * 1000L);
            throw new Failures.TrainingHalted(Failures.of("E_STALL", Category.INFRA,
                    "no progress for " + (System.nanoTime() - t0) / 1_000_000_000 + " s at step " + step
                            + " (injected stall)",
                    "find what blocks the training thread (thread dump: jcmd PID Thread.print); "
                            + "a stalled run holds its resources until stopped", null, step, epoch));
        }
    }

    private void checkInput(double[] row, int r, long step, int epoch) {
        for (int j = 0; j < row.length; j++) {
            if (!Double.isFinite(row[j])) {
                throw new Failures.TrainingHalted(Failures.of("E_NONFINITE_INPUT", Category.DATA,
                        "input feature " + train.featureNames().get(j) + " of training row " + r + " is " + row[j]
                                + " in the batch of step " + step + "; training halted before the update",
                        "clean or impute the data (data.source " + config.data().source().name().toLowerCase(java.util.Locale.ROOT)
                                + "); the loader must not pass NaN or infinite values",
                        null, step, epoch));
            }
        }
    }

    Evaluation evaluate(Dataset d) {
        double[] z = new double[d.classes()];
        double[] p = new double[d.classes()];
        int[] predicted = new int[d.rows()];
        double loss = 0;
        for (int i = 0; i < d.rows(); i++) {
            model.logits(d.x()[i], z);
            StepModel.softmax(z, 1, p);
            int best = 0;
            for (int k = 1; k < z.length; k++) {
                if (z[k] > z[best]) {
                    best = k;
                }
            }
            predicted[i] = best;
            loss += -Math.log(Math.max(p[d.y()[i]], 1e-300));
        }
        return Evaluation.of(d.y(), predicted, loss, d.classes());
    }

    /** The model in its canonical form: same seed and config give the same bytes, hence the same sha256. */
    private ModelArtifact writeModel(String runId) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("entrenar-weights-v1");
            out.writeUTF(config.model().arch().name().toLowerCase(java.util.Locale.ROOT));
            out.writeInt(train.labels().size());
            for (String l : train.labels()) {
                out.writeUTF(l);
            }
            out.writeInt(train.features());
            for (String f : train.featureNames()) {
                out.writeUTF(f);
            }
            double[] mean = scaler == null ? new double[train.features()] : scaler.mean();
            double[] scale = scaler == null ? ones(train.features()) : scaler.scale();
            for (int j = 0; j < mean.length; j++) {
                out.writeDouble(mean[j]);
                out.writeDouble(scale[j]);
            }
            Tensor[] tensors = model.parameters().get();
            out.writeInt(tensors.length);
            for (Tensor t : tensors) {
                Tensors.write(out, t);
            }
        }
        byte[] data = bytes.toByteArray();
        Path file = outputDir.resolve(runId).resolve("model.bin");
        AtomicFiles.write(file, data);
        String sha = AtomicFiles.sha256(data);
        return new ModelArtifact("model", file, sha, sha, data.length, "entrenar-weights-v1");
    }

    private static double[] ones(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    /** Ties checkpoints to what determines the weights (not to faults, pacing, monitoring or names). */
    static String configHash(TrainingConfig config) {
        StringBuilder b = new StringBuilder();
        config.params().forEach((k, v) -> {
            if (!k.startsWith("failure.") && !k.startsWith("monitoring.") && !k.startsWith("tags.") && !k.startsWith("approval.")
                    && !k.equals("checkpoint.resume") && !k.equals("training.pace_ms") && !k.equals("name")
                    && !k.equals("lockfile") && !k.equals("strict")) {
                b.append(k).append('=').append(v).append('\n');
            }
        });
        return AtomicFiles.sha256(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static boolean isStepArch(Arch arch) {
        return arch.gradientBased();
    }
}
