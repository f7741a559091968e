package io.entrenar.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.entrenar.events.Artifact;
import io.entrenar.events.ArtifactFormat;
import io.entrenar.events.ArtifactKind;
import io.entrenar.events.Failure;
import io.entrenar.events.RunAnnotated;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunStatus;
import io.entrenar.events.RunStatusChanged;
import io.entrenar.events.Span;
import io.entrenar.events.SpanKind;
import io.entrenar.events.SpanStatus;
import io.entrenar.events.UnsafeSignoff;
import io.entrenar.schemas.Topic;

/**
 * A live run. {@link #logMetric} is the hot path: safe from any thread, lock-free, allocation-free
 * once a name has been seen. Lifecycle calls (status, finish, fail, artifacts) are rare and may allocate.
 * Closing a run that was neither finished nor failed finishes it as COMPLETED.
 */
public final class Run implements AutoCloseable {
    private final Tracker tracker;
    private final String runId;
    private final int runIndex;
    private final String name;
    private final long startMicros;
    private final String traceId;
    private final String spanId;
    private final RunFootprint footprint;
    private volatile RunStatus status = RunStatus.PENDING;
    private volatile boolean ended;
    private long maxStep = -1;
    /**
     * The ring of the thread that logged last, reused while the same thread keeps logging (one
     * reference read and an owner check instead of a thread-local lookup).
     */
    private PointRing ring;
    private volatile boolean stopRequested;
    private volatile String stopReason;
    private volatile boolean paused;
    /** When the run's end is recorded, if a caller said (MLflow's {@code end_time}); else -1: the moment it ends. */
    private volatile long endAtMicros = -1;
    private int approvals;
    private int rejections;
    private final java.util.List<java.util.function.Consumer<io.entrenar.events.ControlCommand>> controlCallbacks =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    Run(Tracker tracker, String runId, String name, long startMicros, RunFootprint footprint) {
        this(tracker, runId, name, startMicros, footprint, RunStatus.PENDING);
    }

    Run(Tracker tracker, String runId, String name, long startMicros, RunFootprint footprint, RunStatus status) {
        this.status = status;
        this.tracker = tracker;
        this.footprint = footprint;
        this.runId = runId;
        this.runIndex = tracker.registerRun(runId);
        this.name = name;
        this.startMicros = startMicros;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        this.traceId = HexFormat.of().toHexDigits(r.nextLong()) + HexFormat.of().toHexDigits(r.nextLong());
        this.spanId = HexFormat.of().toHexDigits(r.nextLong() | 1L);
        tracker.listenForControl(this);
    }

    public String id() {
        return runId;
    }

    public String name() {
        return name;
    }

    public RunStatus status() {
        return status;
    }

    /** OpenTelemetry trace id of the run's root span (32 hex digits). */
    public String traceId() {
        return traceId;
    }

    /** Span id of the run's root span (16 hex digits), the parent of spans inside the run. */
    public String spanId() {
        return spanId;
    }

    /**
     * Logs one point. NaN and infinities are recorded as they are. Throws at the call for an invalid
     * name or a run that has ended; never blocks.
     */
    public void logMetric(String metricName, double value, long step) {
        if (ended) {
            throw new IllegalStateException("run " + runId + " (" + name + ") has ended; cannot log " + metricName);
        }
        tracker.log(ring(), runIndex, tracker.metricId(metricName), value, step);
        if (step > maxStep) {
            maxStep = step;
        }
    }

    /**
     * Logs one point with the time it was taken (microseconds since the epoch), for callers that
     * timestamp their own points (an MLflow client sends milliseconds). Not the hot path: the name
     * is looked up on every call.
     */
    public void logMetric(String metricName, double value, long step, long epochMicros) {
        if (ended) {
            throw new IllegalStateException("run " + runId + " (" + name + ") has ended; cannot log " + metricName);
        }
        if (epochMicros < 0 || epochMicros > LATEST_POINT_MICROS) {
            throw new IllegalArgumentException("the time of a point of " + metricName + " is " + epochMicros
                    + " µs since the epoch; it must lie between 1970 and 2200");
        }
        tracker.logAt(ring(), runIndex, tracker.metricId(metricName), value, step, epochMicros);
        if (step > maxStep) {
            maxStep = step;
        }
    }

    /** 2200-01-01: beyond it a point's time is a unit mistake (ns for µs), not a time. */
    private static final long LATEST_POINT_MICROS = 7_258_118_400_000_000L;

    /** A handle that skips the name lookup: the cheapest way to log one metric repeatedly. */
    public Metric metric(String metricName) {
        return new Metric(this, tracker.metricId(metricName));
    }

    void logById(int nameId, double value, long step) {
        if (ended) {
            throw new IllegalStateException("run " + runId + " (" + name + ") has ended");
        }
        tracker.log(ring(), runIndex, nameId, value, step);
        if (step > maxStep) {
            maxStep = step;
        }
    }

    private PointRing ring() {
        PointRing r = ring;
        if (r == null || r.owner() != Thread.currentThread()) {
            r = tracker.ringOfCurrentThread();
            ring = r;
        }
        return r;
    }

    /** Changes the status (RUNNING, PAUSED, AWAITING_APPROVAL...); terminal states go through finish/fail. */
    public void status(RunStatus next, String reason) {
        status(next, reason, null);
    }

    void status(RunStatus next, String reason, String commandId) {
        Objects.requireNonNull(next, "status");
        if (next == RunStatus.COMPLETED || next == RunStatus.FAILED) {
            throw new IllegalArgumentException("use finish() or fail() to end a run, not status(" + next + ")");
        }
        checkLive();
        RunStatus previous = status;
        status = next;
        emitRunEvent(RunStatusChanged.newBuilder().setStatus(next).setPreviousStatus(previous)
                .setReason(reason == null ? null : Validation.value("reason", reason)).setCommandId(commandId).build());
    }

    /**
     * Adds tags, params or warnings (e.g. a quality gate warning), also after the run ended: a
     * review tag or an MLflow client's set-tag on a finished run lands the same way.
     */
    public void annotate(Map<String, String> tags, Map<String, ?> params, List<String> warnings) {
        Map<String, String> t = new LinkedHashMap<>();
        if (tags != null) {
            tags.forEach((k, v) -> t.put(Validation.key("tag name", k), Validation.value("tag '" + k + "'", v)));
        }
        Map<String, String> p = new LinkedHashMap<>();
        if (params != null) {
            params.forEach((k, v) -> p.put(Validation.key("param name", k), Validation.paramValue(k, v)));
        }
        List<String> w = warnings == null ? List.of() : warnings.stream().map(s -> Validation.value("warning", s)).toList();
        emitRunEvent(RunAnnotated.newBuilder().setTags(t).setParams(p).setWarnings(w).build());
    }

    /**
     * Records an artifact with its sha256 and size. Pickle-like formats (PICKLE, PYTORCH_BIN,
     * JAVA_SERIALIZED) execute code when loaded and are refused unless {@code signoff} is given.
     */
    public String logArtifact(String artifactName, Path file, ArtifactKind kind, ArtifactFormat format, UnsafeSignoff signoff) {
        checkLive();
        Validation.name("artifact name", artifactName);
        Objects.requireNonNull(format, "format");
        if (ArtifactPolicy.isUnsafe(format) && signoff == null) {
            throw new IllegalArgumentException("artifact '" + artifactName + "' has format " + format
                    + ", which can execute code when loaded; use SAFETENSORS, ONNX or TRIBUO, or pass an UnsafeSignoff");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("artifact '" + artifactName + "': no such file " + file);
        }
        String sha;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            int n;
            size = 0;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                size += n;
            }
            sha = HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long lamport = tracker.lamport().tick();
        long now = tracker.nowMicros();
        Artifact a = Artifact.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId)
                .setTsMicros(micros(now)).setLamport(lamport).setName(artifactName)
                .setKind(kind == null ? ArtifactKind.OTHER : kind).setFormat(format).setSha256(sha).setSizeBytes(size)
                .setUri(file.toAbsolutePath().toUri().toString()).setStep(maxStep >= 0 ? maxStep : null)
                .setUnsafeSignoff(signoff).setMetadata(Map.of()).build();
        tracker.ship(runIndex, EventEncoder.encode(Topic.ARTIFACTS, runId, a));
        return sha;
    }

    /**
     * Emits a complete event of this run (ResourceSample, SyscallAggregate, Span, Failure, Artifact)
     * on its topic: for instrumentation such as the agent. Its run_id must be this run's.
     */
    public void emit(org.apache.avro.specific.SpecificRecord event) {
        checkLive();
        Topic topic = null;
        for (Topic t : Topic.values()) {
            if (t.valueClass().filter(c -> c == event.getClass()).isPresent()) {
                topic = t;
            }
        }
        if (topic == null || topic == Topic.RUNS || topic == Topic.METRICS) {
            throw new IllegalArgumentException("cannot emit a " + event.getClass().getSimpleName()
                    + " directly; use the run's lifecycle methods and logMetric");
        }
        Object eventRun = event.get(event.getSchema().getField("run_id").pos());
        if (!runId.equals(eventRun)) {
            throw new IllegalArgumentException("event belongs to run " + eventRun + ", not " + runId);
        }
        tracker.ship(runIndex, EventEncoder.encode(topic, runId, event));
    }

    /** True once a STOP command arrived: the training loop should end and call {@link #stop}. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Who asked the run to stop and why ("STOP from cli:alice: diverging"), or null before a STOP. */
    public String stopReason() {
        return stopReason;
    }

    /** True between PAUSE and RESUME commands. */
    public boolean paused() {
        return paused;
    }

    /** Waits while the run is paused; false when still paused after {@code timeout}. */
    public synchronized boolean awaitResume(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (paused && !stopRequested) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** How an approval gate ended. */
    public enum Approval {
        APPROVED, REJECTED, TIMED_OUT, STOPPED;
    }

    /**
     * A human-in-the-loop gate: marks the run AWAITING_APPROVAL and waits for an APPROVE (true) or
     * REJECT (false) command on entrenar.control.v1; false on timeout. The run is RUNNING again after.
     */
    public boolean awaitApproval(String reason, java.time.Duration timeout) throws InterruptedException {
        return awaitApprovalDecision(reason, timeout) == Approval.APPROVED;
    }

    /**
     * {@link #awaitApproval} that tells a rejection from a timeout and from a STOP that arrived while
     * waiting, so that a training loop can act on each (end STOPPED, or continue on timeout when its
     * config says so).
     */
    public Approval awaitApprovalDecision(String reason, java.time.Duration timeout) throws InterruptedException {
        return awaitApprovalDecision(reason, timeout, () -> { });
    }

    /**
     * {@link #awaitApprovalDecision(String, java.time.Duration)} that runs {@code opened} once the gate
     * counts decisions and before it waits: whoever announces the gate there (a console line, an event
     * file) cannot have a decision sent in reply miss it.
     */
    public synchronized Approval awaitApprovalDecision(String reason, java.time.Duration timeout, Runnable opened)
            throws InterruptedException {
        // status changes are emitted under the run's monitor, so they reach the topic in the order they happen
        int seenApprovals = approvals;
        int seenRejections = rejections;
        status(RunStatus.AWAITING_APPROVAL, reason);
        opened.run();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (approvals == seenApprovals && rejections == seenRejections && !stopRequested) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        Approval decision = approvals > seenApprovals ? Approval.APPROVED
                : rejections > seenRejections ? Approval.REJECTED
                : stopRequested ? Approval.STOPPED : Approval.TIMED_OUT;
        if (!ended && decision != Approval.STOPPED) {
            status(RunStatus.RUNNING, switch (decision) {
                case APPROVED -> "approved";
                case REJECTED -> "rejected";
                default -> "no decision within " + timeout.toSeconds() + " s";
            });
        }
        return decision;
    }

    /** Called on the control thread for every command addressed to this run. */
    public void onControl(java.util.function.Consumer<io.entrenar.events.ControlCommand> callback) {
        controlCallbacks.add(java.util.Objects.requireNonNull(callback));
    }

    void control(io.entrenar.events.ControlCommand c) {
        synchronized (this) {
            switch (c.getAction()) {
                case STOP -> {
                    // written before the flag, so whoever sees the flag sees who stopped the run and why
                    stopReason = "STOP from " + c.getIssuedBy() + (c.getReason() == null ? "" : ": " + c.getReason());
                    stopRequested = true;
                }
                case PAUSE -> paused = true;
                case RESUME -> paused = false;
                case APPROVE -> approvals++;
                case REJECT -> rejections++;
            }
            if (!ended) {
                if (c.getAction() == io.entrenar.events.ControlAction.PAUSE) {
                    status(RunStatus.PAUSED, c.getReason(), c.getCommandId());
                } else if (c.getAction() == io.entrenar.events.ControlAction.RESUME) {
                    status(RunStatus.RUNNING, c.getReason(), c.getCommandId());
                }
            }
            notifyAll();
        }
        for (var cb : controlCallbacks) {
            try {
                cb.accept(c);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Run.class).warn("entrenar: control callback of run {} failed: {}", runId, e.toString());
            }
        }
    }

    /** The highest step logged so far, or -1. */
    public long lastStep() {
        return maxStep;
    }

    /** Ends the run as COMPLETED with its final metrics; its step count is the highest step logged + 1 (steps from 0). */
    public void finish(Map<String, Double> summary) {
        end(RunStatus.COMPLETED, summary, null, -1);
    }

    /** Ends the run as COMPLETED with its final metrics and its own count of steps (a loop that counts from 1). */
    public void finish(Map<String, Double> summary, long totalSteps) {
        if (totalSteps < 0) {
            throw new IllegalArgumentException("a run cannot take " + totalSteps + " steps");
        }
        end(RunStatus.COMPLETED, summary, null, totalSteps);
    }

    public void finish() {
        finish(Map.of());
    }

    /**
     * Records the run's end (finish, stop or fail, called next) at this time instead of the moment
     * of the call: for a client that reports its own end time (MLflow's {@code end_time}).
     */
    public void endAt(long epochMicros) {
        if (epochMicros < startMicros) {
            throw new IllegalArgumentException("run " + runId + " cannot end at " + epochMicros + " µs, before it started at "
                    + startMicros);
        }
        endAtMicros = epochMicros;
    }

    /** Ends the run as STOPPED (e.g. after a STOP command). */
    public void stop(String reason) {
        end(RunStatus.STOPPED, Map.of(), reason, -1);
    }

    /** Ends the run as FAILED and records the structured failure on entrenar.failures.v1. */
    public void fail(FailureContext failure) {
        Objects.requireNonNull(failure, "failure");
        checkLive();
        long lamport = tracker.lamport().tick();
        long now = tracker.nowMicros();
        Throwable cause = failure.cause();
        Failure f = Failure.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId)
                .setTsMicros(micros(now)).setLamport(lamport).setErrorCode(failure.errorCode()).setCategory(failure.category())
                .setDiagnostic(failure.diagnostic()).setRemediation(failure.remediation())
                .setExceptionClass(cause == null ? null : cause.getClass().getName()).setStackTrace(failure.stackTrace())
                .setStep(failure.step() != null ? failure.step() : maxStep >= 0 ? Long.valueOf(maxStep) : null)
                .setContext(new LinkedHashMap<>(failure.context())).build();
        tracker.ship(runIndex, EventEncoder.encode(Topic.FAILURES, runId, f));
        end(RunStatus.FAILED, Map.of(), failure.errorCode(), -1);
    }

    @Override
    public void close() {
        if (!ended) {
            finish();
        }
    }

    void emitStarted(RunStarted started, long lamport, long now) {
        ship(RunEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId).setTsMicros(micros(now))
                .setLamport(lamport).setPayload(started).build());
        RunStatus previous = status;
        status = RunStatus.RUNNING;
        emitRunEvent(RunStatusChanged.newBuilder().setStatus(RunStatus.RUNNING).setPreviousStatus(previous).build());
    }

    /** @param totalSteps the run's own step count, or -1 for the highest step logged + 1 */
    private synchronized void end(RunStatus finalStatus, Map<String, Double> summary, String reasonOrCode, long totalSteps) {
        checkLive();
        ended = true;
        RunStatus previous = status;
        status = finalStatus;
        long now = endAtMicros >= 0 ? endAtMicros : tracker.nowMicros();
        Map<String, Double> s = new LinkedHashMap<>();
        if (summary != null) {
            summary.forEach((k, v) -> s.put(Validation.key("summary metric", k), Objects.requireNonNull(v, "summary value of " + k)));
        }
        io.entrenar.events.EnergyMetrics energy = footprint.energy(now - startMicros);
        emitRunEvent(RunFinished.newBuilder().setStatus(finalStatus).setDurationMicros(now - startMicros)
                .setTotalSteps(totalSteps >= 0 ? totalSteps : Math.max(0, maxStep + 1)).setSummary(s)
                .setErrorCode(finalStatus == RunStatus.FAILED ? reasonOrCode : null)
                .setEnergy(energy).setCost(footprint.cost(now - startMicros, energy)).build(), now);
        Span root = Span.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId).setTsMicros(micros(now))
                .setLamport(tracker.lamport().tick()).setTraceId(traceId).setSpanId(spanId).setParentSpanId(null)
                .setName("run " + name).setKind(SpanKind.INTERNAL).setStartMicros(startMicros).setEndMicros(now)
                .setStatus(finalStatus == RunStatus.FAILED ? SpanStatus.ERROR : SpanStatus.OK)
                .setStatusMessage(finalStatus == RunStatus.COMPLETED ? null : finalStatus + (reasonOrCode == null ? "" : ": " + reasonOrCode))
                .setAttributes(Map.of("entrenar.run.status", finalStatus.name(), "entrenar.run.previous_status", previous.name()))
                .build();
        tracker.ship(runIndex, EventEncoder.encode(Topic.SPANS, runId, root));
    }

    private void emitRunEvent(Object payload) {
        emitRunEvent(payload, tracker.nowMicros());
    }

    private void emitRunEvent(Object payload, long now) {
        ship(RunEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId).setTsMicros(micros(now))
                .setLamport(tracker.lamport().tick()).setPayload(payload).build());
    }

    private void ship(RunEvent e) {
        tracker.ship(runIndex, EventEncoder.encode(Topic.RUNS, runId, e));
    }

    private void checkLive() {
        if (ended) {
            throw new IllegalStateException("run " + runId + " (" + name + ") has already ended as " + status);
        }
    }

    private static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
