package io.entrenar.mlflow;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.entrenar.events.Artifact;
import io.entrenar.events.ArtifactFormat;
import io.entrenar.events.ArtifactKind;
import io.entrenar.events.ExperimentDefined;
import io.entrenar.events.FailureCategory;
import io.entrenar.events.LifecycleStage;
import io.entrenar.events.RunStatus;
import io.entrenar.events.RunType;
import io.entrenar.events.UnsafeSignoff;
import io.entrenar.tracking.FailureContext;
import io.entrenar.tracking.Run;
import io.entrenar.tracking.RunBuilder;
import io.entrenar.tracking.Tracker;

/**
 * MLflow's writes as our events, through the tracking API: create-run is a RunStarted, log-metric
 * and log-batch points of a MetricBatch (with the client's own timestamps), log-param and set-tag a
 * RunAnnotated, update-run's FINISHED / FAILED / KILLED a RunFinished (and a Failure). Every call
 * returns once its events are durable ({@link Tracker#sync}), never waiting on ClickHouse. The
 * runs it touched are kept in memory with what ClickHouse must show before a read of them is
 * answered ({@link Fence}), and the params already logged (MLflow refuses to change one).
 */
final class RunWriter {
    /** A tag value that means "deleted" in the runs view (MLflow's delete-tag). */
    static final String DELETED_TAG = "\u0000";
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Runs kept in memory at most, about; past it, ended runs (not stopped by a command) are
     * forgotten: a later call for one reads it back from ClickHouse, as after a restart.
     */
    static final int MAX_TRACKED_RUNS = 20_000;

    /** What ClickHouse must hold of a run before a read of it reflects every write this API acknowledged. */
    record Fence(long events, long points, long artifacts) {
        boolean coveredBy(Fence landed) {
            return landed.events >= events && landed.points >= points && landed.artifacts >= artifacts;
        }
    }

    private final Tracker tracker;
    private final Experiments experiments;
    private final RunReader reader;
    private final Map<String, LiveRun> runs = new ConcurrentHashMap<>();

    private final Duration pauseHold;

    /**
     * @param pauseHold how long a write to a paused run is held before it is answered
     *                  TEMPORARILY_UNAVAILABLE (the client retries it, and is held again)
     */
    RunWriter(Tracker tracker, Experiments experiments, RunReader reader, Duration pauseHold) {
        this.tracker = tracker;
        this.experiments = experiments;
        this.reader = reader;
        this.pauseHold = pauseHold;
    }

    /** A run this API knows: the tracking handle and what it has written. Guarded by its own monitor. */
    private static final class LiveRun {
        final String runId;
        final String experimentId;
        final String name;
        final long startMicros;
        Run handle;
        String lifecycle = "active";
        final Map<String, String> params = new LinkedHashMap<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        /** Latest value per metric (highest step, then latest time), the summary of a finished run. */
        final Map<String, double[]> latest = new LinkedHashMap<>();
        long events;
        long points;
        long artifacts;
        /** Why a STOP command ended the run, once one did: its writes are refused from then on. */
        String stoppedBy;

        LiveRun(String runId, String experimentId, String name, long startMicros, Run handle) {
            this.runId = runId;
            this.experimentId = experimentId;
            this.name = name;
            this.startMicros = startMicros;
            this.handle = handle;
        }
    }

    RunRecord create(String experimentId, String runName, Long startTimeMs, Map<String, String> tags) {
        ExperimentDefined e = experiments.existing(experimentId);
        if (e.getLifecycleStage() != LifecycleStage.ACTIVE) {
            throw MlflowException.invalidState("The experiment " + experimentId + " must be in the 'active' state. "
                    + "Current state is deleted.");
        }
        String name = runName != null && !runName.isBlank() ? runName
                : tags.getOrDefault("mlflow.runName", "run-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, String> t = new LinkedHashMap<>(tags);
        t.putIfAbsent("mlflow.runName", name);
        t.put("entrenar.source", "mlflow-api");
        long start = startTimeMs != null ? startTimeMs : System.currentTimeMillis();
        RunBuilder b = tracker.experiment(e.getRunId(), e.getName()).run(name).runType(RunType.TRAINING)
                .source("mlflow", t.get("mlflow.source.name"));
        try {
            t.forEach(b::tag);
            b.startedAt(Math.multiplyExact(start, 1000L));
        } catch (IllegalArgumentException | ArithmeticException ex) {
            throw MlflowException.invalid(ex.getMessage());
        }
        Run handle = b.start();
        LiveRun run = new LiveRun(handle.id(), e.getRunId(), name, start * 1000, handle);
        run.tags.putAll(t);
        run.events = 2; // RunStarted, RUNNING
        runs.put(run.runId, run);
        endOnStop(run, handle);
        forgetEndedRunsPastTheBound();
        sync();
        return new RunRecord(run.runId, name, e.getRunId(), "RUNNING", start, null, "active",
                List.of(), Map.of(), RunRecord.withoutInternal(t));
    }

    void logParam(String runId, String key, String value) {
        logBatch(runId, new MetricPoints(), Map.of(key, value), Map.of());
    }

    void setTag(String runId, String key, String value) {
        LiveRun run = live(runId);
        synchronized (run) {
            requireActive(run);
            obeyControl(run);
            annotate(run, Map.of(key, value), Map.of());
            run.tags.put(key, value);
        }
        sync();
    }

    void deleteTag(String runId, String key) {
        LiveRun run = live(runId);
        synchronized (run) {
            requireActive(run);
            obeyControl(run);
            String v = run.tags.get(key);
            if (v == null || v.equals(DELETED_TAG)) {
                throw MlflowException.notFound("No tag with name: " + key + " in run with id " + runId);
            }
            annotate(run, Map.of(key, DELETED_TAG), Map.of());
            run.tags.remove(key);
        }
        sync();
    }

    /** log-batch: params first checked against those already logged, then metrics, params and tags. */
    void logBatch(String runId, MetricPoints metrics, Map<String, String> params, Map<String, String> tags) {
        LiveRun run = live(runId);
        synchronized (run) {
            requireActive(run);
            obeyControl(run);
            Map<String, String> newParams = new LinkedHashMap<>();
            params.forEach((k, v) -> {
                String before = run.params.get(k);
                if (before != null && !before.equals(v)) {
                    throw MlflowException.invalid("Changing param values is not allowed. Param with key='" + k + "' was already "
                            + "logged with value='" + before + "' for run ID='" + runId + "'. Attempted logging new value '" + v + "'.");
                }
                if (before == null) {
                    newParams.put(k, v);
                }
            });
            points(run, metrics);
            if (!newParams.isEmpty() || !tags.isEmpty()) {
                annotate(run, tags, newParams);
                run.params.putAll(newParams);
                run.tags.putAll(tags);
            }
        }
        sync();
    }

    /**
     * update-run: a new name, and FINISHED / FAILED / KILLED end the run (again, if the client
     * changes its mind). A run a STOP command ended stays STOPPED: the client's own end after the
     * refusal it got (typically FAILED, from its exception handler) is not recorded over it.
     */
    void update(String runId, String status, Long endTimeMs, String runName) {
        LiveRun run = live(runId);
        synchronized (run) {
            noteStop(run);
            if (run.stoppedBy != null) {
                status = null;
            }
            if (endTimeMs != null && status != null && !status.equals("RUNNING") && !status.equals("SCHEDULED")) {
                try {
                    writable(run).endAt(Math.multiplyExact(endTimeMs, 1000L));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw MlflowException.invalid("Invalid value " + endTimeMs + " for parameter 'end_time': " + e.getMessage());
                }
            }
            if (runName != null && !runName.isEmpty()) {
                annotate(run, Map.of("mlflow.runName", runName), Map.of());
                run.tags.put("mlflow.runName", runName);
            }
            if (status != null) {
                Map<String, Double> summary = new LinkedHashMap<>();
                run.latest.forEach((k, v) -> summary.put(k, v[0]));
                switch (status) {
                    case "RUNNING", "SCHEDULED" -> {
                        // the run is live from create-run on; nothing to record
                    }
                    case "FINISHED" -> {
                        writable(run).finish(summary);
                        run.events++;
                    }
                    case "FAILED" -> {
                        writable(run).fail(FailureContext.of("E_MLFLOW_RUN_FAILED", FailureCategory.UNKNOWN,
                                "the MLflow client ended the run as FAILED (an exception in the training script, or mlflow.end_run(status='FAILED'))",
                                "read the job's own log for the exception; the metrics before it are in the run"));
                        run.events++;
                    }
                    case "KILLED" -> {
                        writable(run).stop("KILLED by the MLflow client");
                        run.events++;
                    }
                    default -> throw MlflowException.invalid("Invalid value \"" + status + "\" for parameter 'status' supplied: "
                            + "one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED is expected");
                }
            }
        }
        sync();
    }

    /** Records an uploaded artifact (name, sha256, size, format) as the run's Artifact event. */
    void artifact(String runId, String name, Artifacts.Stored stored) {
        LiveRun run = live(runId);
        synchronized (run) {
            ArtifactFormat format = Artifacts.format(name);
            // MLflow's own model flavours are pickles; the API cannot refuse them, so the event says who vouched
            UnsafeSignoff signoff = ArtifactFormat.PICKLE == format || ArtifactFormat.PYTORCH_BIN == format
                    || ArtifactFormat.JAVA_SERIALIZED == format
                    ? UnsafeSignoff.newBuilder().setSignedBy("mlflow-api upload by " + run.tags.getOrDefault("mlflow.user", "unknown user"))
                            .setReason("uploaded through the MLflow API, which accepts MLflow's pickle-based model flavours; "
                                    + "load it only if you trust the run").setSignedAtMicros(System.currentTimeMillis() * 1000).build()
                    : null;
            Artifact a = Artifact.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId)
                    .setTsMicros(java.time.Instant.now()).setLamport(tracker.lamport().tick()).setName(name)
                    .setKind(name.toLowerCase(java.util.Locale.ROOT).contains("model") ? ArtifactKind.MODEL : ArtifactKind.OTHER)
                    .setFormat(format).setSha256(stored.sha256()).setSizeBytes(stored.size())
                    .setUri("mlflow-artifacts:/" + stored.relativePath()).setUnsafeSignoff(signoff).setMetadata(Map.of()).build();
            writable(run).emit(a);
            run.artifacts++;
        }
        sync();
    }

    /** delete-run / restore-run: the lifecycle stage, as a tag the runs view folds in. */
    void lifecycle(String runId, String stage) {
        LiveRun run = live(runId);
        synchronized (run) {
            annotate(run, Map.of(RunRecord.LIFECYCLE_TAG, stage), Map.of());
            run.lifecycle = stage;
        }
        sync();
    }

    /** The fences of the runs this API wrote in these experiments (a search must see them). */
    Map<String, Fence> fencesOf(java.util.Collection<String> experimentIds) {
        Map<String, Fence> out = new LinkedHashMap<>();
        runs.values().forEach(r -> {
            if (experimentIds.contains(r.experimentId)) {
                synchronized (r) {
                    out.put(r.runId, new Fence(r.events, r.points, r.artifacts));
                }
            }
        });
        return out;
    }

    /** What ClickHouse must hold before a read of {@code runId} is answered, or null for a run this API did not write. */
    Fence fence(String runId) {
        LiveRun run = runs.get(runId);
        if (run == null) {
            return null;
        }
        synchronized (run) {
            return new Fence(run.events, run.points, run.artifacts);
        }
    }

    private void forgetEndedRunsPastTheBound() {
        if (runs.size() <= MAX_TRACKED_RUNS) {
            return;
        }
        for (LiveRun r : runs.values()) {
            if (runs.size() <= MAX_TRACKED_RUNS * 3 / 4) {
                return;
            }
            if (r.stoppedBy == null && ended(r.handle)) {
                runs.remove(r.runId, r);
            }
        }
    }

    private void points(LiveRun run, MetricPoints metrics) {
        if (metrics.size() == 0) {
            return;
        }
        Run handle = writable(run);
        for (int i = 0; i < metrics.size(); i++) {
            String key = metrics.key(i);
            long step = metrics.step(i);
            long timestampMs = metrics.timestamp(i);
            try {
                handle.logMetric(key, metrics.value(i), step, Math.multiplyExact(timestampMs, 1000L));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw MlflowException.invalid("Invalid metric '" + key + "': " + e.getMessage());
            }
            run.points++;
            double[] l = run.latest.get(key);
            if (l == null) {
                run.latest.put(key, new double[] {metrics.value(i), step, timestampMs});
            } else if (step > (long) l[1] || step == (long) l[1] && timestampMs >= (long) l[2]) {
                l[0] = metrics.value(i);
                l[1] = step;
                l[2] = timestampMs;
            }
        }
    }

    private void annotate(LiveRun run, Map<String, String> tags, Map<String, String> params) {
        try {
            run.handle.annotate(tags, params, List.of());
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalid(e.getMessage());
        }
        run.events++;
    }

    private static boolean ended(Run handle) {
        RunStatus s = handle.status();
        return s == RunStatus.COMPLETED || s == RunStatus.FAILED || s == RunStatus.STOPPED;
    }

    /** The handle to log to: MLflow lets clients log to a finished run, so an ended handle is replaced. */
    private Run writable(LiveRun run) {
        if (ended(run.handle)) {
            run.handle = tracker.attach(run.runId, run.name, run.startMicros);
            endOnStop(run, run.handle);
        }
        return run.handle;
    }

    /**
     * What a control command asks of an MLflow run, told the only way an MLflow client listens:
     * through the answer to its next write. After STOP (a user's, or Andon's EMERGENCY_STOP) the
     * run ends STOPPED and every write is refused with INVALID_STATE, so the client raises in the
     * training loop and the job stops. While PAUSED a write is held until RESUME, at most
     * {@code pauseHold}, then answered TEMPORARILY_UNAVAILABLE, which the client retries: the loop
     * waits inside its logging call.
     */
    private void obeyControl(LiveRun run) {
        noteStop(run);
        if (run.stoppedBy != null) {
            throw MlflowException.invalidState("Run " + run.runId + " was stopped (" + run.stoppedBy + "); the job should end. "
                    + "Its record keeps everything logged before the stop.");
        }
        try {
            if (run.handle.paused() && !run.handle.awaitResume(pauseHold)) {
                throw MlflowException.unavailable("Run " + run.runId + " is paused; this call is answered once it is resumed "
                        + "(retry: MLflow clients do)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MlflowException.unavailable("interrupted while run " + run.runId + " was paused");
        }
        noteStop(run);
        if (run.stoppedBy != null) {
            throw MlflowException.invalidState("Run " + run.runId + " was stopped (" + run.stoppedBy + "); the job should end.");
        }
    }

    /** A STOP ends the run at once, not at the client's next call: its status tells the truth meanwhile. */
    private void endOnStop(LiveRun run, Run handle) {
        handle.onControl(command -> {
            if (command.getAction() == io.entrenar.events.ControlAction.STOP) {
                synchronized (run) {
                    if (run.handle == handle) {
                        noteStop(run);
                    }
                }
            }
        });
    }

    /** Records a STOP the run's handle received, ending the run STOPPED if it is still live. */
    private void noteStop(LiveRun run) {
        if (run.stoppedBy != null || !run.handle.stopRequested()) {
            return;
        }
        run.stoppedBy = run.handle.stopReason();
        if (!ended(run.handle)) {
            run.handle.stop(run.stoppedBy);
            run.events++;
        }
    }

    private static void requireActive(LiveRun run) {
        if (!run.lifecycle.equals("active")) {
            throw MlflowException.invalid("The run " + run.runId + " must be in the 'active' state. Current state is "
                    + run.lifecycle + ".");
        }
    }

    /** The run from memory, else from ClickHouse (a run created before a restart, or by a Java job). */
    private LiveRun live(String runId) {
        LiveRun run = runs.get(runId);
        if (run != null) {
            return run;
        }
        RunRecord r = reader.run(runId);
        if (r == null) {
            throw MlflowException.notFound("Run with id=" + runId + " not found");
        }
        // what ClickHouse holds now is the base of this API's fence for the run
        Fence landed = reader.landed(List.of(runId)).getOrDefault(runId, new Fence(0, 0, 0));
        // Lamport: this API's next events of the run must order after every event it already has
        tracker.lamport().observe(reader.maxLamport(runId));
        return runs.computeIfAbsent(runId, id -> {
            LiveRun l = new LiveRun(id, r.experimentId(), r.runName() == null ? id : r.runName(), r.startTime() * 1000,
                    tracker.attach(id, r.runName() == null ? id : r.runName(), r.startTime() * 1000));
            l.lifecycle = r.lifecycleStage();
            l.events = landed.events();
            l.points = landed.points();
            l.artifacts = landed.artifacts();
            l.params.putAll(r.params());
            l.tags.putAll(r.tags());
            r.metrics().forEach(m -> l.latest.put(m.key(), new double[] {m.value(), m.step(), m.timestamp()}));
            endOnStop(l, l.handle);
            return l;
        });
    }

    private void sync() {
        if (!tracker.sync(SYNC_TIMEOUT)) {
            throw MlflowException.unavailable("the events of this call are not yet on disk or acknowledged after "
                    + SYNC_TIMEOUT.toSeconds() + " s; they will still be sent");
        }
    }
}
