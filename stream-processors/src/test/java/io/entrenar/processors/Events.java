package io.entrenar.processors;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.entrenar.events.BenchmarkKey;
import io.entrenar.events.CostMetrics;
import io.entrenar.events.EnergyMetrics;
import io.entrenar.events.Failure;
import io.entrenar.events.FailureCategory;
import io.entrenar.events.MetricBatch;
import io.entrenar.events.ResourcePlan;
import io.entrenar.events.ResourceSample;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunStatus;

/** Builders of the training-side events the tests feed in. */
final class Events {
    private Events() {
    }

    static Instant micros(long micros) {
        return Instant.EPOCH.plusNanos(micros * 1000);
    }

    static RunEvent started(String runId, long tsMicros, ResourcePlan plan, BenchmarkKey benchmark, Map<String, String> params) {
        RunStarted s = RunStarted.newBuilder()
                .setRunName(runId + "-name")
                .setExperimentId("exp-1")
                .setExperimentName("experiment")
                .setParams(new HashMap<>(params))
                .setResourcePlan(plan)
                .setBenchmark(benchmark)
                .build();
        return RunEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId).setTsMicros(micros(tsMicros))
                .setLamport(1).setPayload(s).build();
    }

    static RunEvent started(String runId, long tsMicros) {
        return started(runId, tsMicros, null, null, Map.of());
    }

    static RunEvent finished(String runId, long tsMicros, RunStatus status, long durationMicros, long totalSteps, Map<String, Double> summary,
                             Double costUsd, Double energyKwh, Double latencyMs) {
        RunFinished f = RunFinished.newBuilder()
                .setStatus(status)
                .setDurationMicros(durationMicros)
                .setTotalSteps(totalSteps)
                .setSummary(new HashMap<>(summary))
                .setCost(costUsd == null ? null : CostMetrics.newBuilder().setComputeCostUsd(costUsd).setTotalCostUsd(costUsd).build())
                .setEnergy(energyKwh == null ? null : EnergyMetrics.newBuilder().setWattsAvg(1).setWattsPeak(1).setJoulesTotal(energyKwh * 3.6e6)
                        .setKwhTotal(energyKwh).build())
                .setLatencyP50Ms(latencyMs)
                .build();
        return RunEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId).setTsMicros(micros(tsMicros))
                .setLamport(100).setPayload(f).build();
    }

    static RunEvent finished(String runId, long tsMicros) {
        return finished(runId, tsMicros, RunStatus.COMPLETED, 1_000_000, 0, Map.of(), null, null, null);
    }

    /** A batch builder: points in order. */
    static final class Batch {
        private final String runId;
        private final List<String> names = new ArrayList<>();
        private final List<Integer> ids = new ArrayList<>();
        private final List<Long> steps = new ArrayList<>();
        private final List<Double> values = new ArrayList<>();
        private final List<Long> ts = new ArrayList<>();

        Batch(String runId) {
            this.runId = runId;
        }

        Batch point(String metric, long step, double value, long tsMicros) {
            int id = names.indexOf(metric);
            if (id < 0) {
                names.add(metric);
                id = names.size() - 1;
            }
            ids.add(id);
            steps.add(step);
            values.add(value);
            ts.add(tsMicros);
            return this;
        }

        MetricBatch build() {
            long first = ts.isEmpty() ? 0 : ts.getFirst();
            return MetricBatch.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId).setTsMicros(micros(first))
                    .setLamport(2).setProducerId("test:1").setSequence(0).setNames(names).setNameIds(ids).setSteps(steps)
                    .setValues(values).setTimestampsMicros(ts).build();
        }
    }

    static ResourceSample resources(String runId, long tsMicros, long heapUsedBytes) {
        return ResourceSample.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId).setTsMicros(micros(tsMicros))
                .setLamport(3).setProcessCpuLoad(0.5).setMachineCpuLoad(0.5).setHeapUsedBytes(heapUsedBytes)
                .setHeapCommittedBytes(heapUsedBytes).setHeapMaxBytes(heapUsedBytes * 2).build();
    }

    static Failure failure(String runId, long tsMicros, String code, FailureCategory category) {
        return Failure.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId).setTsMicros(micros(tsMicros)).setLamport(4)
                .setErrorCode(code).setCategory(category).setDiagnostic(code + " happened").setRemediation("fix " + code).build();
    }

    static ResourcePlan plan(Double heapMb, Long totalSteps, Double durationSecs, Double costUsd) {
        return ResourcePlan.newBuilder().setEstimatedHeapMb(heapMb).setTotalSteps(totalSteps).setEstimatedDurationSecs(durationSecs)
                .setEstimatedCostUsd(costUsd).build();
    }

    static BenchmarkKey benchmark(String name, String dataset) {
        return BenchmarkKey.newBuilder().setName(name).setDataset(dataset).setTask("classification").build();
    }
}
