package io.entrenar.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.entrenar.alerting.AlertingApp;
import io.entrenar.alerting.AlertingConfig;
import io.entrenar.alerting.WebhookReceiver;
import io.entrenar.events.Alert;
import io.entrenar.events.AlertState;
import io.entrenar.events.Severity;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.stack.EmbeddedStack;
import io.entrenar.stack.StackConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * End to end, on one machine: an Andon alert written to {@code entrenar.alerts.v1} → the alerting
 * app → a signed webhook received and verified by the local receiver. Prints p50/p90/p99/max of
 * that latency over many incidents, one at a time (so each measures an idle pipeline, as an
 * incident does), after a warm-up.
 *
 * <pre>java -cp ... io.entrenar.benchmarks.AlertLatencyBenchmark [incidents=300]</pre>
 */
public final class AlertLatencyBenchmark {
    private AlertLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int incidents = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int warmup = 30;
        Path dir = Files.createTempDirectory("entrenar-bench-alerts");
        String secret = "bench-secret";
        try (EmbeddedStack stack = EmbeddedStack.start(new StackConfig(Map.of(StackConfig.DATA_DIR_CONFIG, dir.toString(),
                     StackConfig.KAFKA_PORT_CONFIG, 0, StackConfig.REGISTRY_PORT_CONFIG, 0, "topics.partitions", 2)));
             WebhookReceiver receiver = WebhookReceiver.start("127.0.0.1", 0, secret);
             SchemaRegistryClient registry = CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", stack.registryUrl()))) {
            Path routes = Files.writeString(dir.resolve("routes.yaml"), """
                    channels:
                      local:
                        type: webhook
                        url: %s/hooks/bench
                        secret: %s
                        rate_limit: {per_second: 100000}
                    routes:
                      - name: all
                        channels: [local]
                    """.formatted(receiver.url(), secret));
            try (AlertingApp app = AlertingApp.start(new AlertingConfig(Map.of(
                    AlertingConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    AlertingConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl(),
                    AlertingConfig.ROUTES_FILE_CONFIG, routes.toString())));
                 KafkaProducer<String, Alert> producer = stack.clients("entrenar-bench").producer("alerts", Map.of(
                         "acks", "all", "linger.ms", 0), new StringSerializer(), new AvroSerializer<>(registry, Map.of(), false))) {
                long[] latencies = new long[incidents];
                Map<String, Long> sentAt = new ConcurrentHashMap<>();
                for (int i = 0; i < warmup + incidents; i++) {
                    String incident = "inc-" + UUID.randomUUID();
                    int before = receiver.deliveries().size();
                    long start = System.nanoTime();
                    sentAt.put(incident, start);
                    producer.send(new ProducerRecord<>(Topic.ALERTS.topicName(), "run-bench", alert(incident)));
                    while (receiver.deliveries().size() == before) {
                        Thread.onSpinWait();
                    }
                    long elapsed = System.nanoTime() - start;
                    if (!receiver.deliveries().get(before).signatureValid()) {
                        throw new IllegalStateException("unsigned delivery");
                    }
                    if (i >= warmup) {
                        latencies[i - warmup] = elapsed;
                    }
                    Thread.sleep(20);
                }
                Arrays.sort(latencies);
                System.out.printf("alert on topic -> signed webhook received, %d incidents: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        incidents, ms(latencies, 0.50), ms(latencies, 0.90), ms(latencies, 0.99), latencies[incidents - 1] / 1e6);
                System.out.printf("deliveries %d, retries %d, dead %d%n", app.stats().delivered(), app.stats().retries(), app.stats().dead());
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static Alert alert(String incident) {
        return Alert.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId("run-bench").setTsMicros(Instant.now())
                .setLamport(1).setIncidentId(incident).setState(AlertState.FIRING).setRule("non_finite")
                .setSeverity(Severity.CRITICAL).setMetric("loss").setMessage("loss is NaN").setFiredAtMicros(0).build();
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
