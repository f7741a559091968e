package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrenar.cli.pipeline.Pipeline;
import io.entrenar.cli.pipeline.PipelineConfig;
import io.entrenar.tracking.Run;
import io.entrenar.tracking.Tracker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 end to end on a real broker: a run logs NaN through the tracking API; the processors
 * raise one Andon incident; the alerting app delivers exactly one signed FIRING to the stack's
 * webhook receiver, and one RESOLVED after the run finishes. With an emergency-stop rule the
 * training run receives STOP and ends STOPPED. One pipeline for both (the sink stays off: the
 * chDB store of this JVM belongs to another test).
 */
class AndonEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Pipeline pipeline;
    private static Path dataDir;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        dataDir = dir;
        Path rules = Files.writeString(dir.resolve("andon.yaml"), """
                rules:
                  - name: non_finite
                    type: non_finite
                    severity: critical
                  - name: nan_stop
                    type: non_finite
                    metrics: [val_loss]
                    severity: emergency
                    action: emergency_stop
                """);
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("data.dir", dir.toString(), "kafka.port", 0,
                "registry.port", 0, "webhook.receiver.port", 0, "ops.port", -1, "topics.partitions", 1,
                "sink.enabled", false, "dashboard.enabled", false, "processors.http.port", 0, "processors.andon.rules.file", rules.toString()));
        settings.put("mlflow.enabled", false);
        pipeline = Pipeline.start(new PipelineConfig(settings));
        assertTrue(pipeline.processors().awaitRunning(Duration.ofSeconds(60)), "processors running");
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @Test
    void aNanRunYieldsOneFiringAndOneResolvedOnTheWebhook() throws Exception {
        {
            String runId;
            try (Tracker tracker = tracker("spool-1")) {
                Run run = tracker.experiment("andon-e2e").run("nan-run").start();
                runId = run.id();
                for (long step = 0; step < 50; step++) {
                    run.logMetric("loss", 2.0 / (step + 1), step);
                }
                run.logMetric("loss", Double.NaN, 50);
                tracker.flush(Duration.ofSeconds(10));

                List<JsonNode> firing = awaitDeliveries(pipeline, runId, "FIRING", 1);
                assertEquals("non_finite", firing.get(0).get("body").get("rule").asText());
                assertEquals("loss", firing.get(0).get("body").get("metric").asText());
                assertTrue(firing.get(0).get("signature_valid").asBoolean());

                run.finish();
                tracker.flush(Duration.ofSeconds(10));
            }
            awaitDeliveries(pipeline, runId, "RESOLVED", 1);
            Thread.sleep(1_500);
            assertEquals(1, deliveries(pipeline, runId, "FIRING").size(), "exactly one FIRING");
            assertEquals(1, deliveries(pipeline, runId, "RESOLVED").size(), "exactly one RESOLVED");
        }
    }

    @Test
    void anEmergencyStopRuleStopsTheTrainingRun() throws Exception {
        try (Tracker tracker = tracker("spool-2")) {
            Run run = tracker.experiment("andon-e2e").run("diverging-run").start();
            for (long step = 0; step < 20; step++) {
                run.logMetric("val_loss", 1.0 / (step + 1), step);
            }
            run.logMetric("val_loss", Double.POSITIVE_INFINITY, 20);
            tracker.flush(Duration.ofSeconds(10));
            // The training loop checks the flag between steps, as user code does.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long step = 21;
            while (!run.stopRequested() && System.nanoTime() < deadline) {
                run.logMetric("val_loss", Double.POSITIVE_INFINITY, step++);
                Thread.sleep(50);
            }
            assertTrue(run.stopRequested(), "STOP reached the run");
            run.stop("Andon emergency stop");
            tracker.flush(Duration.ofSeconds(10));
            assertEquals(io.entrenar.events.RunStatus.STOPPED, finishedStatus(run.id()), "the run ended STOPPED");
            // Both rules watch val_loss: one incident each, and the stop rule's says so.
            List<JsonNode> firing = awaitDeliveries(pipeline, run.id(), "FIRING", 2);
            JsonNode stop = firing.stream().filter(d -> "nan_stop".equals(d.get("body").get("rule").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError("no nan_stop incident: " + firing));
            assertEquals("EMERGENCY_STOP", stop.get("body").get("action").asText());
            assertEquals("EMERGENCY", stop.get("body").get("severity").asText());
        }
    }

    private static Tracker tracker(String spool) {
        return Tracker.start(Map.of("bootstrap.servers", pipeline.stack().bootstrapServers(),
                "schema.registry.url", pipeline.stack().registryUrl(), "spool.dir", dataDir.resolve(spool).toString(),
                // the stack's key file: Andon's STOP is signed with it
                "control.keys.file", dataDir.resolve("control.keys").toString()));
    }

    /** Status of the run's RunFinished event on entrenar.runs.v1. */
    private static io.entrenar.events.RunStatus finishedStatus(String runId) {
        try (var registry = io.entrenar.registry.CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", pipeline.stack().registryUrl()));
             var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, io.entrenar.events.RunEvent>(
                     Map.of("bootstrap.servers", pipeline.stack().bootstrapServers()),
                     new org.apache.kafka.common.serialization.StringDeserializer(),
                     new io.entrenar.serde.AvroDeserializer<>(registry, Map.of("specific.avro.reader", true), false))) {
            var partitions = consumer.partitionsFor(io.entrenar.schemas.Topic.RUNS.topicName()).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (runId.equals(r.key()) && r.value().getPayload() instanceof io.entrenar.events.RunFinished f) {
                        return f.getStatus();
                    }
                }
            }
        }
        throw new AssertionError("no RunFinished for " + runId);
    }

    private static List<JsonNode> awaitDeliveries(Pipeline pipeline, String runId, String state, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<JsonNode> found = List.of();
        while (System.nanoTime() < deadline) {
            found = deliveries(pipeline, runId, state);
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + state + " delivery for " + runId + " within 60 s; got " + found);
    }

    private static List<JsonNode> deliveries(Pipeline pipeline, String runId, String state) throws Exception {
        JsonNode all = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(pipeline.webhookReceiverUrl() + "/deliveries")).build(), HttpResponse.BodyHandlers.ofString()).body());
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode d : all) {
            if (runId.equals(d.get("body").get("run_id").asText()) && state.equals(d.get("body").get("state").asText())) {
                matching.add(d);
            }
        }
        return matching;
    }
}
