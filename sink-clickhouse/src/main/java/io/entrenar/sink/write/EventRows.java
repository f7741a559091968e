package io.entrenar.sink.write;

import io.entrenar.events.Alert;
import io.entrenar.events.Artifact;
import io.entrenar.events.CodeComplexity;
import io.entrenar.events.CodeQuality;
import io.entrenar.events.DependencyAudit;
import io.entrenar.events.EtaEstimate;
import io.entrenar.events.Failure;
import io.entrenar.events.LeaderboardEntry;
import io.entrenar.events.Lineage;
import io.entrenar.events.LineageParent;
import io.entrenar.events.MetricBatch;
import io.entrenar.events.MetricStats;
import io.entrenar.events.ResourceSample;
import io.entrenar.events.RunAnnotated;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunStatusChanged;
import io.entrenar.events.Span;
import io.entrenar.events.SupplyChain;
import io.entrenar.events.SyscallAggregate;
import io.entrenar.events.SyscallCount;
import io.entrenar.events.VerifiedAsset;
import java.time.Instant;
import java.util.List;

/**
 * Turns decoded events into rows of the sink's tables. One event may fill several tables (a
 * RunStarted also yields lineage edges, code quality and supply-chain rows; a MetricBatch one row
 * per point).
 */
public final class EventRows {

    private EventRows() {
    }

    /** Appends the rows of {@code event}; returns false for a type the sink does not store. */
    public static boolean append(Object event, Batch batch) {
        switch (event) {
            case MetricBatch m -> metrics(m, batch);
            case RunEvent r -> run(r, batch);
            case Span s -> span(s, batch);
            case SyscallAggregate s -> syscalls(s, batch);
            case ResourceSample r -> resource(r, batch);
            case Failure f -> failure(f, batch);
            case Artifact a -> artifact(a, batch);
            case MetricStats s -> stats(s, batch);
            case Alert a -> alert(a, batch);
            case EtaEstimate e -> eta(e, batch);
            case LeaderboardEntry l -> leaderboard(l, batch);
            default -> {
                return false;
            }
        }
        return true;
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    static void metrics(MetricBatch m, Batch batch) {
        List<String> names = m.getNames();
        List<Integer> ids = m.getNameIds();
        List<Long> steps = m.getSteps();
        List<Double> values = m.getValues();
        List<Long> ts = m.getTimestampsMicros();
        int n = values.size();
        String problem = io.entrenar.schemas.MetricBatchCheck.problem(m);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String runId = m.getRunId();
        String eventId = m.getEventId();
        NativeColumns out = batch.metricPoints(n);
        RowBinary runs = out.column(0);
        RowBinary nameCol = out.column(1);
        RowBinary stepCol = out.column(2);
        RowBinary valueCol = out.column(3);
        RowBinary tsCol = out.column(4);
        RowBinary eventCol = out.column(5);
        RowBinary idxCol = out.column(6);
        for (int i = 0; i < n; i++) {
            runs.string(runId);
            nameCol.string(names.get(ids.get(i)));
            stepCol.int64(steps.get(i));
            valueCol.float64(values.get(i));
            tsCol.int64(ts.get(i));
            eventCol.string(eventId);
            idxCol.uint32(i);
        }
    }

    static void run(RunEvent e, Batch batch) {
        RowBinary r = batch.row(SinkTable.RUN_EVENTS);
        r.string(e.getEventId()).string(e.getRunId()).int64(micros(e.getTsMicros())).int64(e.getLamport());
        RunStarted s = e.getPayload() instanceof RunStarted x ? x : null;
        RunStatusChanged c = e.getPayload() instanceof RunStatusChanged x ? x : null;
        RunAnnotated a = e.getPayload() instanceof RunAnnotated x ? x : null;
        RunFinished f = e.getPayload() instanceof RunFinished x ? x : null;
        r.string(s != null ? "started" : c != null ? "status" : a != null ? "annotated" : "finished");
        r.nullableString(s == null ? null : s.getRunName())
                .nullableString(s == null ? null : s.getExperimentId())
                .nullableString(s == null ? null : s.getExperimentName())
                .nullableName(s == null ? null : s.getRunType())
                .nullableString(s == null ? null : s.getSweepId())
                .nullableInt32(s == null ? null : s.getTrialIndex())
                .nullableString(s == null ? null : s.getSessionId())
                .nullableString(s == null ? null : s.getGoldenBaselineRunId())
                .stringMap(s != null ? s.getParams() : a != null ? a.getParams() : null)
                .stringMap(s != null ? s.getTags() : a != null ? a.getTags() : null)
                .nullableString(s == null || s.getSource() == null ? null : s.getSource().getHost())
                .nullableString(s == null || s.getSource() == null ? null : s.getSource().getGitCommit())
                .nullableName(s == null || s.getDevice() == null ? null : s.getDevice().getType())
                .nullableString(s == null || s.getDevice() == null ? null : s.getDevice().getModel())
                .nullableName(s == null || s.getParadigm() == null ? null : s.getParadigm().getType())
                .nullableString(s == null || s.getParadigm() == null ? null : s.getParadigm().getAlgorithm())
                .nullableString(s == null || s.getBenchmark() == null ? null : s.getBenchmark().getName())
                .nullableString(s == null || s.getBenchmark() == null ? null : s.getBenchmark().getDataset())
                .nullableString(s == null || s.getBenchmark() == null ? null : s.getBenchmark().getTask())
                .nullableString(s == null || s.getBenchmark() == null ? null : s.getBenchmark().getQualityMetric())
                .nullableBool(s == null || s.getBenchmark() == null ? null : s.getBenchmark().getHigherIsBetter())
                .nullableName(s == null || s.getPlatform() == null ? null : s.getPlatform().getKind())
                .nullableFloat64(s == null || s.getPlatform() == null ? null : s.getPlatform().getHourlyRateUsd())
                .nullableInt64(s == null || s.getResourcePlan() == null ? null : s.getResourcePlan().getTotalSteps())
                .nullableFloat64(s == null || s.getResourcePlan() == null ? null
                        : s.getResourcePlan().getEstimatedDurationSecs())
                .nullableFloat64(s == null || s.getResourcePlan() == null ? null
                        : s.getResourcePlan().getEstimatedCostUsd());
        r.nullableName(c != null ? c.getStatus() : f != null ? f.getStatus() : s != null ? "RUNNING" : null)
                .nullableString(c == null ? null : c.getReason())
                .stringArray(a == null ? null : a.getWarnings())
                .nullableInt64(f == null ? null : f.getDurationMicros())
                .nullableInt64(f == null ? null : f.getTotalSteps())
                .doubleMap(f == null ? null : f.getSummary())
                .nullableString(f == null ? null : f.getErrorCode())
                .nullableFloat64(f == null || f.getEnergy() == null ? null : f.getEnergy().getKwhTotal())
                .nullableFloat64(f == null || f.getEnergy() == null ? null : f.getEnergy().getCarbonGrams())
                .nullableFloat64(f == null || f.getCost() == null ? null : f.getCost().getTotalCostUsd())
                .nullableFloat64(f == null ? null : f.getLatencyP50Ms());
        if (s != null) {
            lineage(e, s.getLineage(), batch);
            quality(e, s.getCodeQuality(), s.getCodeComplexity(), s.getDependencyAudit(), batch);
            supplyChain(e, s.getSupplyChain(), batch);
        }
    }

    private static void lineage(RunEvent e, Lineage lineage, Batch batch) {
        if (lineage == null) {
            return;
        }
        for (LineageParent p : lineage.getParents()) {
            batch.row(SinkTable.LINEAGE_EDGES).string(e.getRunId()).string(p.getRunId()).string(p.getRole().name())
                    .nullableInt64(p.getLamport()).nullableString(lineage.getType())
                    .int64(micros(e.getTsMicros())).string(e.getEventId());
        }
    }

    private static void quality(RunEvent e, CodeQuality q, CodeComplexity c, DependencyAudit d, Batch batch) {
        if (q == null && c == null && d == null) {
            return;
        }
        batch.row(SinkTable.CODE_QUALITY).string(e.getEventId()).string(e.getRunId()).int64(micros(e.getTsMicros()))
                .nullableString(q == null ? null : q.getGrade())
                .nullableFloat64(q == null ? null : q.getMutationScore())
                .nullableFloat64(q == null ? null : q.getTestCoverage())
                .nullableFloat64(q == null ? null : q.getTdgScore())
                .nullableInt32(q == null ? null : q.getLintWarnings())
                .nullableBool(q == null ? null : q.getQualityGatePassed())
                .stringArray(q == null ? null : q.getBlockingIssues())
                .nullableString(q == null ? null : q.getTool())
                .nullableFloat64(c == null ? null : c.getAvgCognitiveComplexity())
                .nullableInt32(c == null ? null : c.getMaxCognitiveComplexity())
                .nullableInt32(c == null ? null : c.getFunctionsOverLimit())
                .nullableFloat64(c == null ? null : c.getCyclomaticComplexity())
                .nullableFloat64(c == null ? null : c.getMaintainabilityScore())
                .nullableInt32(d == null ? null : d.getVulnerabilityCount())
                .nullableInt32(d == null ? null : d.getUnmaintainedCount())
                .stringArray(d == null ? null : d.getLicenseViolations())
                .nullableBool(d == null ? null : d.getSafeAtTimeOfRun());
    }

    private static void supplyChain(RunEvent e, SupplyChain sc, Batch batch) {
        if (sc == null) {
            return;
        }
        int i = 0;
        for (VerifiedAsset a : sc.getAssets()) {
            batch.row(SinkTable.SUPPLY_CHAIN).string(e.getEventId()).uint32(i++).string(e.getRunId())
                    .int64(micros(e.getTsMicros())).string(sc.getPolicy().name()).string(a.getSource())
                    .nullableString(a.getRevision()).string(a.getContentHash()).bool(a.getVerified())
                    .nullableString(a.getVerificationSource()).int32(sc.getUnverifiedCount());
        }
    }

    static void span(Span s, Batch batch) {
        batch.row(SinkTable.SPANS).string(s.getEventId()).string(s.getRunId()).int64(micros(s.getTsMicros()))
                .string(s.getTraceId()).string(s.getSpanId()).nullableString(s.getParentSpanId()).string(s.getName())
                .string(s.getKind().name()).int64(s.getStartMicros()).int64(s.getEndMicros())
                .string(s.getStatus().name()).nullableString(s.getStatusMessage()).nullableInt64(s.getStep())
                .stringMap(s.getAttributes());
    }

    static void syscalls(SyscallAggregate s, Batch batch) {
        int i = 0;
        for (SyscallCount c : s.getEntries()) {
            batch.row(SinkTable.SYSCALLS).string(s.getEventId()).uint32(i++).string(s.getRunId())
                    .int64(micros(s.getTsMicros())).int64(s.getIntervalStartMicros()).int64(s.getIntervalEndMicros())
                    .nullableInt64(s.getFirstStep()).nullableInt64(s.getLastStep()).string(c.getCategory().name())
                    .string(c.getOperation()).nullableString(c.getTarget()).int64(c.getCount()).int64(c.getBytes())
                    .int64(c.getTotalDurationMicros()).int64(c.getMaxDurationMicros());
        }
    }

    static void resource(ResourceSample r, Batch batch) {
        batch.row(SinkTable.RESOURCES).string(r.getEventId()).string(r.getRunId()).int64(micros(r.getTsMicros()))
                .nullableInt64(r.getStep()).float64(r.getProcessCpuLoad()).float64(r.getMachineCpuLoad())
                .int64(r.getHeapUsedBytes()).int64(r.getHeapCommittedBytes()).int64(r.getHeapMaxBytes())
                .int64(r.getNonHeapUsedBytes()).nullableInt64(r.getRssBytes()).int32(r.getThreadCount())
                .int64(r.getGcCount()).int64(r.getGcPauseMicros()).nullableFloat64(r.getAllocationRateBytesPerSec())
                .nullableFloat64(r.getPowerWatts()).nullableFloat64(r.getEnergyJoules())
                .nullableFloat64(r.getGpuUtilizationPct()).nullableFloat64(r.getVramUsedMb());
    }

    static void failure(Failure f, Batch batch) {
        batch.row(SinkTable.FAILURES).string(f.getEventId()).string(f.getRunId()).int64(micros(f.getTsMicros()))
                .int64(f.getLamport()).string(f.getErrorCode()).string(f.getCategory().name()).string(f.getDiagnostic())
                .nullableString(f.getRemediation()).nullableString(f.getExceptionClass())
                .nullableString(f.getStackTrace()).nullableInt64(f.getStep()).nullableInt32(f.getEpoch())
                .stringArray(f.getRelatedRuns()).stringMap(f.getContext());
    }

    static void artifact(Artifact a, Batch batch) {
        batch.row(SinkTable.ARTIFACTS).string(a.getEventId()).string(a.getRunId()).int64(micros(a.getTsMicros()))
                .string(a.getName()).string(a.getKind().name()).string(a.getFormat().name()).string(a.getSha256())
                .int64(a.getSizeBytes()).string(a.getUri()).nullableInt64(a.getStep())
                .nullableString(a.getUnsafeSignoff() == null ? null : a.getUnsafeSignoff().getSignedBy())
                .stringMap(a.getMetadata());
    }

    static void stats(MetricStats s, Batch batch) {
        batch.row(SinkTable.METRIC_STATS).string(s.getEventId()).string(s.getRunId()).int64(micros(s.getTsMicros()))
                .int64(s.getLamport()).string(s.getMetric()).string(s.getWindow().name())
                .int64(s.getWindowStartMicros()).int64(s.getWindowEndMicros()).int64(s.getCount())
                .float64(s.getMean()).float64(s.getVariance()).float64(s.getMin()).float64(s.getMax())
                .float64(s.getLast()).int64(s.getLastStep()).float64(s.getEwma()).nullableFloat64(s.getTrendSlope())
                .int64(s.getNonFiniteCount());
    }

    static void alert(Alert a, Batch batch) {
        batch.row(SinkTable.ALERTS).string(a.getEventId()).string(a.getRunId()).int64(micros(a.getTsMicros()))
                .string(a.getIncidentId()).string(a.getState().name()).string(a.getRule())
                .string(a.getSeverity().name()).nullableString(a.getMetric()).nullableInt64(a.getStep())
                .string(a.getMessage()).nullableString(a.getSuggestedAction()).string(a.getAction().name())
                .stringMap(a.getEvidence()).nullableString(a.getExperimentId()).stringMap(a.getTags())
                .int64(a.getFiredAtMicros()).nullableInt64(a.getResolvedAtMicros());
    }

    static void eta(EtaEstimate e, Batch batch) {
        batch.row(SinkTable.ETA).string(e.getEventId()).string(e.getRunId()).int64(micros(e.getTsMicros()))
                .int64(e.getStep()).nullableInt64(e.getTotalSteps()).float64(e.getRateStepsPerSec())
                .nullableFloat64(e.getPredictedRemainingSecs()).nullableFloat64(e.getUncertaintySecs())
                .float64(e.getKalmanGain()).float64(e.getEstimateError()).bool(e.getFinished())
                .nullableFloat64(e.getPredictedTotalSecs()).nullableFloat64(e.getActualTotalSecs())
                .nullableFloat64(e.getErrorPct());
    }

    static void leaderboard(LeaderboardEntry l, Batch batch) {
        batch.row(SinkTable.LEADERBOARD).string(l.getEventId()).string(l.getRunId()).int64(micros(l.getTsMicros()))
                .string(l.getBenchmark()).string(l.getDataset()).string(l.getTask()).string(l.getModel())
                .nullableString(l.getParadigm()).nullableString(l.getDevice()).string(l.getQualityMetric())
                .float64(l.getQuality()).nullableFloat64(l.getCostUsd()).nullableFloat64(l.getEnergyKwh())
                .nullableFloat64(l.getLatencyP50Ms()).int32(l.getRank()).nullableFloat64(l.getEfficiencyScore())
                .bool(l.getParetoOptimal()).stringArray(l.getDominatedBy()).bool(l.getBestForBudget())
                .bool(l.getCheapestForQuality()).nullableFloat64(l.getBudgetUsd()).nullableFloat64(l.getQualityTarget());
    }
}
