package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrenar.cli.pipeline.Pipeline;
import io.entrenar.cli.pipeline.PipelineConfig;
import io.entrenar.events.Alert;
import io.entrenar.events.AlertState;
import io.entrenar.events.Severity;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-command pipeline routes an alert to its own signed webhook receiver out of the box. */
class PipelineTest {

    @Test
    void anAlertReachesTheLocalReceiverSigned(@TempDir Path dataDir) throws Exception {
        try (Pipeline pipeline = Pipeline.start(new PipelineConfig(Map.of("data.dir", dataDir.toString(), "kafka.port", 0,
                "registry.port", 0, "webhook.receiver.port", 0, "ops.port", 0, "topics.partitions", 1,
                "processors.http.port", 0, "sink.http.port", 0, "dashboard.port", 0, "mlflow.port", 0)));
             SchemaRegistryClient registry = CachedSchemaRegistryClient.fromConfigs(
                     Map.of("schema.registry.url", pipeline.stack().registryUrl()));
             KafkaProducer<String, Alert> producer = new KafkaProducer<>(Map.of("bootstrap.servers", pipeline.stack().bootstrapServers()),
                     new StringSerializer(), new AvroSerializer<>(registry, Map.of(), false))) {
            String incident = "inc-" + UUID.randomUUID();
            producer.send(new ProducerRecord<>(Topic.ALERTS.topicName(), "run-1", Alert.newBuilder()
                    .setEventId(UUID.randomUUID().toString()).setRunId("run-1").setTsMicros(Instant.now()).setLamport(1)
                    .setIncidentId(incident).setState(AlertState.FIRING).setRule("non_finite").setSeverity(Severity.CRITICAL)
                    .setMessage("loss is NaN").setFiredAtMicros(0).build())).get();

            JsonNode deliveries = null;
            for (int i = 0; i < 150 && (deliveries == null || deliveries.isEmpty()); i++) {
                Thread.sleep(100);
                deliveries = new ObjectMapper().readTree(HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(pipeline.webhookReceiverUrl() + "/deliveries")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            }
            assertEquals(1, deliveries.size(), deliveries.toString());
            assertTrue(deliveries.get(0).get("signature_valid").asBoolean());
            assertEquals(incident, deliveries.get(0).get("body").get("incident_id").asText());
            // Two channels deliver independently: the receiver's copy may arrive before the stderr one.
            String scrape = "";
            for (int i = 0; i < 100 && !scrape.contains("\nentrenar_alerting_delivered_total 2\n"); i++) {
                Thread.sleep(50);
                scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pipeline.opsUrl() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            }
            assertTrue(scrape.contains("\nentrenar_alerting_delivered_total 2\n"), "receiver and stderr: " + scrape);
            // Ready once every app is: the processors reach RUNNING after their first rebalance.
            int ready = 0;
            for (int i = 0; i < 300 && ready != 200; i++) {
                ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pipeline.opsUrl() + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
                Thread.sleep(ready == 200 ? 0 : 200);
            }
            assertEquals(200, ready);
            // The stack serves the web dashboard over the sink's ClickHouse endpoint.
            HttpResponse<String> runs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(pipeline.dashboardUrl() + "/api/runs")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, runs.statusCode(), runs.body());
            assertTrue(runs.body().startsWith("{\"data\":["), runs.body());
            assertTrue(scrape.contains("\nentrenar_dashboard_requests_total "), "the dashboard's series on the stack's /metrics: " + scrape);
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dataDir.resolve("alerting/webhook-secret"))), "the secret is private");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dataDir.resolve("alerting/routes.yaml"))), "the routing file holds the secret too");
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dataDir)), "the data directory is the user's alone");
        }
    }
}
