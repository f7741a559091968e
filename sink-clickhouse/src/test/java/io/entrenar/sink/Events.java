package io.entrenar.sink;

import io.entrenar.events.Alert;
import io.entrenar.events.AlertAction;
import io.entrenar.events.AlertState;
import io.entrenar.events.Artifact;
import io.entrenar.events.ArtifactFormat;
import io.entrenar.events.BenchmarkKey;
import io.entrenar.events.CodeQuality;
import io.entrenar.events.DependencyAudit;
import io.entrenar.events.EtaEstimate;
import io.entrenar.events.Failure;
import io.entrenar.events.FailureCategory;
import io.entrenar.events.LeaderboardEntry;
import io.entrenar.events.Lineage;
import io.entrenar.events.LineageParent;
import io.entrenar.events.LineageRole;
import io.entrenar.events.MetricBatch;
import io.entrenar.events.MetricStats;
import io.entrenar.events.ResourceSample;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunStatus;
import io.entrenar.events.Severity;
import io.entrenar.events.Span;
import io.entrenar.events.SupplyChain;
import io.entrenar.events.SupplyChainPolicy;
import io.entrenar.events.SyscallAggregate;
import io.entrenar.events.SyscallCategory;
import io.entrenar.events.SyscallCount;
import io.entrenar.events.VerifiedAsset;
import io.entrenar.events.WindowKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds valid events of every kind for tests. */
public final class Events {

    public static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private Events() {
    }

    public static String id() {
        return UUID.randomUUID().toString();
    }

    public static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    public static RunEvent started(String runId, long lamport, Map<String, String> params, Map<String, String> tags,
                                   List<String> parents, Double mutationScore, Double coverage) {
        List<LineageParent> ps = new ArrayList<>();
        for (String p : parents) {
            ps.add(LineageParent.newBuilder().setRunId(p).setRole(LineageRole.FINE_TUNED_FROM).setLamport(lamport - 1).build());
        }
        RunStarted.Builder s = RunStarted.newBuilder().setRunName("name-" + runId).setExperimentId("exp-1")
                .setExperimentName("digits").setParams(params).setTags(tags)
                .setBenchmark(BenchmarkKey.newBuilder().setName("digits-cls").setDataset("digits").setTask("classification")
                        .setQualityMetric("accuracy").build());
        if (!ps.isEmpty()) {
            s.setLineage(Lineage.newBuilder().setType("fine_tune").setParents(ps).build());
        }
        if (mutationScore != null || coverage != null) {
            s.setCodeQuality(CodeQuality.newBuilder().setMutationScore(mutationScore).setTestCoverage(coverage)
                    .setGrade(mutationScore != null && mutationScore >= 0.8 ? "A" : "C").setTool("pit").build());
            s.setDependencyAudit(DependencyAudit.newBuilder().setVulnerabilityCount(0).setSafeAtTimeOfRun(true).build());
            s.setSupplyChain(SupplyChain.newBuilder().setPolicy(SupplyChainPolicy.WARN).setUnverifiedCount(0)
                    .setAssets(List.of(VerifiedAsset.newBuilder().setSource("hf://digits").setContentHash("ab12")
                            .setVerified(true).build())).build());
        }
        return RunEvent.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(at(lamport)).setLamport(lamport)
                .setPayload(s.build()).build();
    }

    public static RunEvent finished(String runId, long lamport, RunStatus status, String errorCode, double accuracy,
                                    Double costUsd) {
        RunFinished.Builder f = RunFinished.newBuilder().setStatus(status).setDurationMicros(lamport * 1_000_000L)
                .setTotalSteps(100).setSummary(Map.of("accuracy", accuracy)).setErrorCode(errorCode);
        if (costUsd != null) {
            f.setCost(io.entrenar.events.CostMetrics.newBuilder().setComputeCostUsd(costUsd).setTotalCostUsd(costUsd).build());
        }
        return RunEvent.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(at(lamport)).setLamport(lamport)
                .setPayload(f.build()).build();
    }

    /** A batch of {@code names.size() * steps} points: value of name k at step s is k * 1000 + s. */
    public static MetricBatch metrics(String runId, List<String> names, long firstStep, int steps) {
        List<Integer> ids = new ArrayList<>();
        List<Long> st = new ArrayList<>();
        List<Double> vs = new ArrayList<>();
        List<Long> ts = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            for (int k = 0; k < names.size(); k++) {
                ids.add(k);
                st.add(firstStep + s);
                vs.add(k * 1000.0 + firstStep + s);
                ts.add(EventsTime.micros(at(firstStep + s)));
            }
        }
        return MetricBatch.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(at(firstStep)).setLamport(firstStep)
                .setProducerId("p1").setSequence(firstStep).setNames(names).setNameIds(ids).setSteps(st).setValues(vs)
                .setTimestampsMicros(ts).build();
    }

    public static MetricBatch metricPoints(String runId, String name, long[] steps, double[] values) {
        List<Integer> ids = new ArrayList<>();
        List<Long> st = new ArrayList<>();
        List<Double> vs = new ArrayList<>();
        List<Long> ts = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            ids.add(0);
            st.add(steps[i]);
            vs.add(values[i]);
            ts.add(EventsTime.micros(at(steps[i])));
        }
        return MetricBatch.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(at(0)).setLamport(1)
                .setProducerId("p1").setSequence(0).setNames(List.of(name)).setNameIds(ids).setSteps(st).setValues(vs)
                .setTimestampsMicros(ts).build();
    }

    public static Failure failure(String runId, String code, FailureCategory category) {
        return Failure.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(at(50)).setLamport(50).setErrorCode(code)
                .setCategory(category).setDiagnostic("diagnostic of " + code).setRemediation("fix " + code).build();
    }

    public static Span span(String runId, String name, long startSec, long durationMs) {
        long start = EventsTime.micros(at(startSec));
        return Span.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(at(startSec)).setLamport(startSec)
                .setTraceId("t-" + runId).setSpanId(id().substring(0, 16)).setName(name).setStartMicros(start)
                .setEndMicros(start + durationMs * 1000).setStep(startSec).build();
    }

    public static SyscallAggregate syscalls(String runId, long firstStep, long lastStep, long ioBytes, long ioMicros) {
        return SyscallAggregate.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(at(firstStep)).setLamport(firstStep)
                .setIntervalStartMicros(EventsTime.micros(at(firstStep))).setIntervalEndMicros(EventsTime.micros(at(lastStep + 1)))
                .setFirstStep(firstStep).setLastStep(lastStep)
                .setEntries(List.of(
                        SyscallCount.newBuilder().setCategory(SyscallCategory.FILE_IO).setOperation("read").setCount(10)
                                .setBytes(ioBytes).setTotalDurationMicros(ioMicros).setMaxDurationMicros(ioMicros / 2).build(),
                        SyscallCount.newBuilder().setCategory(SyscallCategory.GC).setOperation("young").setCount(1)
                                .setTotalDurationMicros(100).build()))
                .build();
    }

    public static ResourceSample resource(String runId, long sec) {
        return ResourceSample.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(at(sec)).setLamport(sec)
                .setStep(sec).setProcessCpuLoad(0.5).setMachineCpuLoad(0.7).setHeapUsedBytes(100 << 20)
                .setHeapCommittedBytes(200 << 20).setHeapMaxBytes(1 << 30).setThreadCount(12).build();
    }

    public static Artifact artifact(String runId, String name) {
        return Artifact.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(at(90)).setLamport(90).setName(name)
                .setFormat(ArtifactFormat.SAFETENSORS).setSha256("00ff").setSizeBytes(1234).setUri("file:///m/" + name).build();
    }

    public static MetricStats stats(String runId, String metric) {
        return MetricStats.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(at(10)).setLamport(10).setMetric(metric)
                .setWindow(WindowKind.TUMBLING).setWindowStartMicros(EventsTime.micros(at(0)))
                .setWindowEndMicros(EventsTime.micros(at(10))).setCount(10).setMean(0.5).setVariance(0.01).setMin(0.1)
                .setMax(0.9).setLast(0.2).setLastStep(9).setEwma(0.3).build();
    }

    public static Alert alert(String runId, AlertState state) {
        return Alert.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(at(20)).setLamport(20)
                .setIncidentId("inc-" + runId).setState(state).setRule("nan_loss").setSeverity(Severity.CRITICAL)
                .setMessage("loss is NaN").setAction(AlertAction.EMERGENCY_STOP).setFiredAtMicros(EventsTime.micros(at(20)))
                .build();
    }

    public static EtaEstimate eta(String runId, long step, double predictedTotal, Double actualTotal) {
        EtaEstimate.Builder b = EtaEstimate.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(at(step))
                .setLamport(step).setStep(step).setTotalSteps(100L).setRateStepsPerSec(10).setKalmanGain(0.3)
                .setEstimateError(0.1).setPredictedTotalSecs(predictedTotal).setFinished(actualTotal != null);
        if (actualTotal != null) {
            b.setActualTotalSecs(actualTotal).setErrorPct(100 * (predictedTotal - actualTotal) / actualTotal);
        }
        return b.build();
    }

    public static LeaderboardEntry leaderboard(String runId, double quality, double cost, boolean pareto) {
        return LeaderboardEntry.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(at(100)).setLamport(100)
                .setBenchmark("digits-cls").setDataset("digits").setTask("classification").setModel("m-" + runId)
                .setQualityMetric("accuracy").setQuality(quality).setCostUsd(cost).setRank(1).setParetoOptimal(pareto)
                .build();
    }
}
