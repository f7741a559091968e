package io.entrenar.cli.watch;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import io.entrenar.config.KafkaClients;
import io.entrenar.events.RunAnnotated;
import io.entrenar.events.RunEvent;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Golden runs (spec 4, 25): a run promoted as the reference later runs are compared with. Promotion
 * is an event, not a side table: a {@code RunAnnotated} on {@code entrenar.runs.v1} with the tags
 * {@code golden=true}, {@code golden.promoted_by} and {@code golden.promoted_at}. The sink lands it
 * in {@code run_events} (kind {@code annotated}, read back by {@code RunInfo.golden()}); later runs name it with
 * {@code RunBuilder.goldenBaseline(runId)} ({@code run_events.golden_baseline_run_id}).
 */
public final class Golden {
    public static final String TAG = "golden";

    private Golden() {
    }

    /**
     * Publishes the promotion and waits for the broker's acknowledgement.
     *
     * @param clients           the CLI's client factory (servers, security settings)
     * @param producerOverrides the producer's own settings (acks, timeouts)
     */
    public static RecordMetadata promote(KafkaClients clients, Map<String, ?> producerOverrides, SchemaRegistryClient registry,
                                         String runId, String by) {
        RunEvent event = RunEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setRunId(runId)
                .setTsMicros(Instant.now())
                // Annotations carry no status, so their Lamport time cannot reorder the run's state in the runs view.
                .setLamport(0)
                .setPayload(RunAnnotated.newBuilder()
                        .setTags(Map.of(TAG, "true", "golden.promoted_by", by, "golden.promoted_at", Instant.now().toString()))
                        .build())
                .build();
        try (KafkaProducer<String, RunEvent> producer = clients.producer("golden", producerOverrides, new StringSerializer(),
                new AvroSerializer<>(registry, Map.of(), false))) {
            return producer.send(new ProducerRecord<>(Topic.RUNS.topicName(), runId, event)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot promote run " + runId + " to golden: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while promoting run " + runId, e);
        }
    }
}
