package io.entrenar.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.entrenar.events.CpuInfo;
import io.entrenar.events.Device;
import io.entrenar.events.DeviceType;
import io.entrenar.events.Lineage;
import io.entrenar.events.LineageParent;
import io.entrenar.events.LineageRole;
import io.entrenar.events.MetricBatch;
import io.entrenar.events.Paradigm;
import io.entrenar.events.ParadigmType;
import io.entrenar.events.ResourcePlan;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunSource;
import io.entrenar.events.RunStarted;
import io.entrenar.events.SimdCapability;

/** Realistic events for benchmarks: a metric batch as the agent flushes it, and a run start. */
final class SampleEvents {
    private SampleEvents() {
    }

    /** {@code points} points of 4 metrics over consecutive steps. */
    static MetricBatch metricBatch(int points) {
        List<Integer> ids = new ArrayList<>(points);
        List<Long> steps = new ArrayList<>(points);
        List<Double> values = new ArrayList<>(points);
        List<Long> timestamps = new ArrayList<>(points);
        long t0 = 1_763_900_000_000_000L;
        for (int i = 0; i < points; i++) {
            ids.add(i % 4);
            steps.add((long) (i / 4));
            values.add(Math.exp(-i / 500.0) + (i % 7) * 1e-3);
            timestamps.add(t0 + i * 250L);
        }
        return MetricBatch.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setRunId("run-2026-11-23T120000Z")
                .setTsMicros(Instant.ofEpochSecond(1_763_900_000L)).setLamport(42)
                .setProducerId("host-1:4242").setSequence(7)
                .setNames(List.of("loss", "lr", "grad_norm", "accuracy"))
                .setNameIds(ids).setSteps(steps).setValues(values).setTimestampsMicros(timestamps)
                .build();
    }

    static RunEvent runStarted() {
        RunStarted started = RunStarted.newBuilder()
                .setRunName("digits-mlp-adam").setExperimentId("exp-7").setExperimentName("digits")
                .setParams(Map.of("lr", "0.001", "batch_size", "64", "epochs", "20", "optimizer", "adam"))
                .setTags(Map.of("team", "ml-platform", "production-candidate", ""))
                .setSource(RunSource.newBuilder().setHost("host-1").setPid(4242).setMainClass("io.entrenar.trainer.Main").build())
                .setLineage(Lineage.newBuilder().setType("distillation").setParents(List.of(
                        LineageParent.newBuilder().setRunId("run-teacher").setRole(LineageRole.TEACHER).setLamport(38L).build())).build())
                .setDevice(Device.newBuilder().setType(DeviceType.CPU).setModel("AMD EPYC")
                        .setCpu(CpuInfo.newBuilder().setCores(2).setThreads(2).setSimd(SimdCapability.AVX2).build()).build())
                .setParadigm(Paradigm.newBuilder().setType(ParadigmType.DEEP_LEARNING).setFramework("tribuo").setArchitecture("mlp").build())
                .setResourcePlan(ResourcePlan.newBuilder().setEstimatedHeapMb(512.0).setTotalSteps(20_000L).build())
                .build();
        return RunEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId("run-2026-11-23T120000Z")
                .setTsMicros(Instant.ofEpochSecond(1_763_900_000L)).setLamport(1).setPayload(started).build();
    }
}
