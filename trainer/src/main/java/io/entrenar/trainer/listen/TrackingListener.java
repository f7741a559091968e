package io.entrenar.trainer.listen;

import java.util.HashMap;
import java.util.Map;

import io.entrenar.events.ArtifactFormat;
import io.entrenar.events.ArtifactKind;
import io.entrenar.events.FailureCategory;
import io.entrenar.events.LineageRole;
import io.entrenar.events.Platform;
import io.entrenar.events.PlatformKind;
import io.entrenar.events.ResourcePlan;
import io.entrenar.tracking.FailureContext;
import io.entrenar.tracking.Metric;
import io.entrenar.tracking.Run;
import io.entrenar.tracking.RunBuilder;
import io.entrenar.tracking.Tracker;

/**
 * Streams a training job into the pipeline through the tracking API: each trainer run becomes a
 * tracked {@link Run} (params, tags, dataset, lineage), per-step and per-epoch values become metric
 * points, the model an artifact, and the end a finish or a structured failure.
 *
 * <p>A tracked run has the trainer's run id, so the id the console prints is the one {@code entrenar
 * runs stop|pause|...} takes. Commands reach the loop through {@link #control()}: the tracked
 * {@link Run}'s flags, set by its tracker's control listener.
 */
public final class TrackingListener implements TrainingListener {
    /** The dataset name of a run whose data could not be loaded. */
    private static final String UNKNOWN_DATASET = "unavailable";
    private static final String HOURLY_RATE_PARAM = "compute.hourly_rate_usd";
    /** The sha256 of the exact rows the run trained on (README, Trainer: what runs are made from). */
    public static final String DATASET_SHA256_TAG = "entrenar.dataset_sha256";
    /** The sha256 of the config file as the job read it. */
    public static final String CONFIG_SHA256_TAG = "entrenar.config_sha256";
    private static final String HEAP_PLAN_PARAM = "compute.heap_plan_mb";

    private final Tracker tracker;
    private final String experiment;
    private final boolean ownsTracker;

    /** Reports through {@code tracker}, which the caller closes. */
    public TrackingListener(Tracker tracker, String experiment) {
        this(tracker, experiment, false);
    }

    private TrackingListener(Tracker tracker, String experiment, boolean ownsTracker) {
        this.tracker = tracker;
        this.experiment = experiment;
        this.ownsTracker = ownsTracker;
    }

    /** Reports through {@code tracker} and closes it with the listener (a training JVM's own tracker). */
    public static TrackingListener owning(Tracker tracker, String experiment) {
        return new TrackingListener(tracker, experiment, true);
    }

    @Override
    public RunListener runStarted(RunStart start) {
        RunBuilder builder = tracker.experiment(experiment).run(start.name()).id(start.runId())
                .params(start.params())
                .param("seed", start.seed())
                .param("arch", start.arch())
                .tag("trainer.run_id", start.runId())
                .dependsOn("dataset", start.datasetName(), start.datasetSha256())
                // the trainer runs on this machine's CPU: the leaderboard's Device column, spec 22.1
                .device(io.entrenar.tracking.DeviceProbe.detect());
        provenance(builder, start.configPath());
        if (!UNKNOWN_DATASET.equals(start.datasetName())) {
            // queryable next to the run (the dependency's hash travels in the lineage, which the tables do not keep)
            builder.tag(DATASET_SHA256_TAG, start.datasetSha256());
        }
        start.tags().forEach(builder::tag);
        if (!UNKNOWN_DATASET.equals(start.datasetName())) {
            // Every run on a dataset competes on that dataset's leaderboard, ranked by test accuracy.
            builder.benchmark(start.datasetName(), start.datasetName(), "classification", "test_accuracy", true);
        }
        double heapPlanMb = Double.parseDouble(start.params().getOrDefault(HEAP_PLAN_PARAM, "0"));
        if (start.plannedSteps() > 0 || heapPlanMb > 0) {
            // The plan gives the processors total steps for progress and the Kalman ETA, and Andon its plan-vs-actual.
            ResourcePlan.Builder plan = ResourcePlan.newBuilder().setPlanner("entrenar-trainer");
            if (start.plannedSteps() > 0) {
                plan.setTotalSteps(start.plannedSteps());
            }
            if (heapPlanMb > 0) {
                plan.setEstimatedHeapMb(heapPlanMb);
            }
            builder.resourcePlan(plan.build());
        }
        double hourlyRate = Double.parseDouble(start.params().getOrDefault(HOURLY_RATE_PARAM, "0"));
        if (hourlyRate > 0) {
            builder.platform(Platform.newBuilder().setKind(PlatformKind.SERVER).setHourlyRateUsd(hourlyRate).build());
        }
        if (start.sweepId() != null) {
            builder.sweepTrial(start.sweepId(), start.trial());
        }
        for (LineageParent parent : start.parents()) {
            builder.parent(parent.runId(), switch (parent.role()) {
                case TEACHER -> LineageRole.TEACHER;
                case RESUMED_FROM -> LineageRole.INITIALIZATION;
                case SWEEP_BASE -> LineageRole.HYPERPARAMETER_SEARCH;
            });
        }
        Run run = builder.start();
        return new Tracked(tracker, run);
    }

    /** What the run was made from: its config file's sha256 and the git commit of the checkout the config sits in. */
    private static void provenance(RunBuilder builder, String configPath) {
        if (configPath == null || configPath.isEmpty()) {
            return;
        }
        java.nio.file.Path config = java.nio.file.Path.of(configPath);
        try {
            byte[] bytes = java.nio.file.Files.readAllBytes(config);
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
            builder.configSha256(sha).tag(CONFIG_SHA256_TAG, sha);
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            // the config was read a moment ago to start the run; if it is gone now, the hash is unknown
        }
        io.entrenar.tracking.GitCheckout.of(config.toAbsolutePath().getParent())
                .ifPresent(g -> builder.git(g.commit(), g.branch()));
    }

    /** Flushes what the runs logged, and closes the tracker when this listener owns it. */
    @Override
    public void close() {
        tracker.flush(java.time.Duration.ofSeconds(30));
        if (ownsTracker) {
            tracker.close();
        }
    }

    /** One tracked run; metric handles are looked up once so that steps only write into the ring. */
    private static final class Tracked implements RunListener {
        private static final java.time.Duration FLUSH_TIMEOUT = java.time.Duration.ofSeconds(10);

        private final Tracker tracker;
        private final Run run;
        private final Metric loss;
        private final Metric learningRate;
        private final Metric gradientNorm;
        private final Metric trainLoss;
        private final Metric validationLoss;
        private final Metric validationAccuracy;
        private final Metric validationMacroF1;
        private final Metric epochs;
        private final RunControl control;

        Tracked(Tracker tracker, Run run) {
            this.tracker = tracker;
            this.run = run;
            this.loss = run.metric("loss");
            this.learningRate = run.metric("lr");
            this.gradientNorm = run.metric("grad_norm");
            this.trainLoss = run.metric("train_loss");
            this.validationLoss = run.metric("val_loss");
            this.validationAccuracy = run.metric("val_accuracy");
            this.validationMacroF1 = run.metric("val_macro_f1");
            this.epochs = run.metric("epoch");
            this.control = new RunControl() {
                @Override
                public boolean stopRequested() {
                    return run.stopRequested();
                }

                @Override
                public String stopReason() {
                    return run.stopReason();
                }

                @Override
                public boolean paused() {
                    return run.paused();
                }

                @Override
                public boolean awaitResume(java.time.Duration timeout) throws InterruptedException {
                    return run.awaitResume(timeout);
                }

                @Override
                public Decision awaitApproval(String gate, java.time.Duration timeout, Runnable opened) throws InterruptedException {
                    return Decision.valueOf(run.awaitApprovalDecision(gate, timeout, opened).name());
                }
            };
        }

        @Override
        public void step(long step, int epoch, double lossValue, double lr, double gradNorm) {
            loss.log(lossValue, step);
            learningRate.log(lr, step);
            gradientNorm.log(gradNorm, step);
        }

        @Override
        public void epoch(int epoch, long step, double trainLossValue, double valLoss, double valAccuracy, double valMacroF1) {
            epochs.log(epoch, step);
            trainLoss.log(trainLossValue, step);
            validationLoss.log(valLoss, step);
            validationAccuracy.log(valAccuracy, step);
            validationMacroF1.log(valMacroF1, step);
        }

        @Override
        public void checkpointWritten(Checkpoint checkpoint) {
            run.logArtifact(checkpoint.path().getFileName().toString(), checkpoint.path(), ArtifactKind.CHECKPOINT,
                    ArtifactFormat.OTHER, null);
        }

        @Override
        public void artifactWritten(ModelArtifact artifact) {
            // tribuo-model-proto for Tribuo's models; our own weights format otherwise.
            ArtifactFormat format = artifact.format().startsWith("tribuo") ? ArtifactFormat.TRIBUO : ArtifactFormat.OTHER;
            run.logArtifact(artifact.name(), artifact.path(), ArtifactKind.MODEL, format, null);
        }

        @Override
        public void finished(RunSummary summary) {
            Map<String, Double> metrics = new HashMap<>(summary.metrics());
            metrics.put("steps", (double) summary.steps());
            metrics.put("epochs", (double) summary.epochs());
            // Cost, energy and carbon go with the finish itself (the tracker's RunFootprint: the platform's
            // hourly rate x wall time), in one place for the sink, the leaderboard and the CLI.
            run.finish(metrics, summary.steps()); // the trainer counts steps from 1: its own count, not last step + 1
        }

        /**
         * Waits until what the run logged is acknowledged by the broker (or spooled): the trainer calls
         * this at the end of a run and before an injected hard crash, which then models a crash after
         * the data made it out.
         */
        @Override
        public void flush() {
            tracker.flush(FLUSH_TIMEOUT);
        }

        @Override
        public void stopped(RunStop stop) {
            run.stop(stop.reason());
        }

        @Override
        public void controlled(ControlEvent event) {
            if (event.kind() == ControlEvent.Kind.PAUSED) {
                // What the loop logged before it paused is out, so the charts stop where training stopped.
                tracker.flush(FLUSH_TIMEOUT);
            }
        }

        @Override
        public RunControl control() {
            return control;
        }

        @Override
        public void failed(TrainingFailure failure) {
            FailureCategory category = switch (failure.category()) {
                case RESOURCE -> FailureCategory.RESOURCE;
                case CONFIG -> FailureCategory.CONFIG;
                case DATA -> FailureCategory.DATA;
                case MODEL -> FailureCategory.MODEL;
                case INFRA -> FailureCategory.INFRA;
            };
            run.fail(FailureContext.of(failure.errorCode(), category, failure.diagnostic(), failure.remediation()));
        }
    }
}
