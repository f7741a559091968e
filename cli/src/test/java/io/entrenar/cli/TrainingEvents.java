package io.entrenar.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.entrenar.events.Alert;
import io.entrenar.events.AlertState;
import io.entrenar.events.BenchmarkKey;
import io.entrenar.events.CostMetrics;
import io.entrenar.events.Device;
import io.entrenar.events.DeviceType;
import io.entrenar.events.EnergyMetrics;
import io.entrenar.events.Failure;
import io.entrenar.events.FailureCategory;
import io.entrenar.events.Lineage;
import io.entrenar.events.LineageParent;
import io.entrenar.events.LineageRole;
import io.entrenar.events.MetricBatch;
import io.entrenar.events.ResourcePlan;
import io.entrenar.events.ResourceSample;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunStatus;
import io.entrenar.events.Severity;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Training-side events sent to a real broker, as an agent would send them, for the view tests. */
final class TrainingEvents implements AutoCloseable {
    private final SchemaRegistryClient registry;
    private final KafkaProducer<String, SpecificRecord> producer;
    private long lamport = 1;

    TrainingEvents(String bootstrapServers, String registryUrl) {
        this.registry = CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", registryUrl));
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers, "acks", "all", "linger.ms", 0),
                new StringSerializer(), new AvroSerializer<>(registry, Map.of(), false));
    }

    /** A run start; {@code benchmark}, {@code parent} and {@code plannedSteps} may be null. */
    void started(String runId, String name, String experiment, String model, String benchmark, String parent, Long plannedSteps) {
        RunStarted.Builder s = RunStarted.newBuilder().setRunName(name).setExperimentId(experiment + "-id").setExperimentName(experiment)
                .setParams(new HashMap<>(model == null ? Map.of() : Map.of("model", model)))
                .setDevice(Device.newBuilder().setType(DeviceType.CPU).build());
        if (benchmark != null) {
            s.setBenchmark(BenchmarkKey.newBuilder().setName(benchmark).setDataset("digits").setTask("classification")
                    .setQualityMetric("accuracy").build());
        }
        if (parent != null) {
            s.setLineage(Lineage.newBuilder().setParents(List.of(LineageParent.newBuilder().setRunId(parent)
                    .setRole(LineageRole.TEACHER).build())).build());
        }
        if (plannedSteps != null) {
            s.setResourcePlan(ResourcePlan.newBuilder().setTotalSteps(plannedSteps).setEstimatedDurationSecs(600.0).build());
        }
        send(Topic.RUNS, runId, RunEvent.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(Instant.now())
                .setLamport(lamport++).setPayload(s.build()).build());
    }

    /** A bare run with tags (the agent's record of a JVM, or a training run naming it). */
    void started(String runId, String name, String experiment, Map<String, String> tags) {
        RunStarted s = RunStarted.newBuilder().setRunName(name).setExperimentId(experiment + "-id").setExperimentName(experiment)
                .setParams(new HashMap<>()).setTags(new HashMap<>(tags)).build();
        send(Topic.RUNS, runId, RunEvent.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(Instant.now())
                .setLamport(lamport++).setPayload(s).build());
    }

    /** Points {@code from..to} of loss (falling) and accuracy (rising). */
    void metrics(String runId, long from, long to) {
        List<Integer> ids = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Long> ts = new ArrayList<>();
        long now = Instant.now().toEpochMilli() * 1000;
        for (long step = from; step <= to; step++) {
            ids.add(0);
            steps.add(step);
            values.add(2.0 / (1 + step));
            ts.add(now);
            ids.add(1);
            steps.add(step);
            values.add(1 - 0.5 / (1 + step));
            ts.add(now);
        }
        send(Topic.METRICS, runId, MetricBatch.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(Instant.now())
                .setLamport(lamport++).setProducerId("views-test:1").setSequence(lamport).setNames(List.of("loss", "accuracy"))
                .setNameIds(ids).setSteps(steps).setValues(values).setTimestampsMicros(ts).build());
    }

    void resources(String runId, long heapUsed, long heapMax) {
        send(Topic.RESOURCES, runId, ResourceSample.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(Instant.now())
                .setLamport(lamport++).setProcessCpuLoad(0.75).setMachineCpuLoad(0.5).setHeapUsedBytes(heapUsed)
                .setHeapCommittedBytes(heapUsed).setHeapMaxBytes(heapMax).setThreadCount(12).setGcCount(7).setGcPauseMicros(3_000).build());
    }

    void finished(String runId, RunStatus status, long steps, double accuracy, Double costUsd) {
        RunFinished f = RunFinished.newBuilder().setStatus(status).setDurationMicros(125_000_000L).setTotalSteps(steps)
                .setSummary(new HashMap<>(Map.of("accuracy", accuracy, "loss", 1 - accuracy)))
                .setCost(costUsd == null ? null : CostMetrics.newBuilder().setComputeCostUsd(costUsd).setTotalCostUsd(costUsd).build())
                .setEnergy(costUsd == null ? null : EnergyMetrics.newBuilder().setWattsAvg(1).setWattsPeak(1)
                        .setJoulesTotal(costUsd * 0.1 * 3.6e6).setKwhTotal(costUsd * 0.1).build())
                .build();
        send(Topic.RUNS, runId, RunEvent.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(Instant.now())
                .setLamport(lamport++).setPayload(f).build());
    }

    void failure(String runId, String code, FailureCategory category) {
        send(Topic.FAILURES, runId, Failure.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(Instant.now()).setLamport(lamport++)
                .setErrorCode(code).setCategory(category).setDiagnostic(code + " at step 3").setRemediation("fix " + code).setStep(3L).build());
    }

    void alert(String runId, String incident, String message) {
        send(Topic.ALERTS, runId, Alert.newBuilder().setEventId(id()).setRunId(runId).setTsMicros(Instant.now()).setLamport(lamport++)
                .setIncidentId(incident).setState(AlertState.FIRING).setRule("non_finite").setSeverity(Severity.CRITICAL)
                .setMetric("loss").setStep(3L).setMessage(message).setFiredAtMicros(Instant.now().toEpochMilli() * 1000).build());
    }

    private void send(Topic topic, String key, SpecificRecord value) {
        try {
            producer.send(new ProducerRecord<>(topic.topicName(), key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic.topicName() + ": " + e.getMessage(), e);
        }
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void close() {
        producer.close();
        registry.close();
    }
}
