package io.entrenar.alerting;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrenar.config.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Delivery state in a compacted Kafka topic, keyed by delivery id: PENDING when accepted, then
 * DELIVERED or DEAD. Read back whole at start, so a restarted app neither repeats a delivery nor
 * forgets one that was still being retried.
 */
final class DeliveryLog {
    enum Status { PENDING, DELIVERED, DEAD }

    record Entry(Status status, Notification notification, int attempts, String reason) {
    }

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private DeliveryLog(String topic, KafkaProducer<String, byte[]> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    /** Creates the topic when missing and reads it to the end. */
    static DeliveryLog open(String topic, short replicationFactor, KafkaClients clients, KafkaProducer<String, byte[]> producer) {
        try (Admin admin = clients.admin("state-setup", Map.of())) {
            NewTopic newTopic = new NewTopic(topic, Optional.of(1),
                    replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor))
                    .configs(Map.of("cleanup.policy", "compact,delete", "retention.ms", Long.toString(Duration.ofDays(30).toMillis())));
            admin.createTopics(List.of(newTopic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the delivery log topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        DeliveryLog log = new DeliveryLog(topic, producer);
        log.load(clients);
        return log;
    }

    boolean known(String deliveryId) {
        return entries.containsKey(deliveryId);
    }

    Optional<Entry> entry(String deliveryId) {
        return Optional.ofNullable(entries.get(deliveryId));
    }

    /** Accepted but not yet delivered, oldest first: what a restarted app must still deliver. */
    List<Notification> pending() {
        return entries.values().stream().filter(e -> e.status() == Status.PENDING).map(Entry::notification)
                .sorted(Comparator.comparingLong(Notification::acceptedAtMicros)).toList();
    }

    /** Records acceptance; durable after {@link #flush()}. */
    void accept(Notification n) {
        write(new Entry(Status.PENDING, n, 0, null), false);
    }

    void delivered(Notification n, int attempts) {
        write(new Entry(Status.DELIVERED, n, attempts, null), true);
    }

    void dead(Notification n, int attempts, String reason) {
        write(new Entry(Status.DEAD, n, attempts, reason), true);
    }

    void flush() {
        producer.flush();
    }

    private void write(Entry entry, boolean sync) {
        Notification n = entry.notification();
        ObjectNode v = Payloads.JSON.createObjectNode()
                .put("status", entry.status().name()).put("channel", n.channel()).put("incident_id", n.incidentId())
                .put("state", n.state()).put("run_id", n.runId()).put("body", n.body())
                .put("accepted_at_micros", n.acceptedAtMicros()).put("attempts", entry.attempts()).put("reason", entry.reason());
        var send = producer.send(new ProducerRecord<>(topic, n.deliveryId(), v.toString().getBytes(StandardCharsets.UTF_8)));
        entries.put(n.deliveryId(), entry);
        if (sync) {
            try {
                send.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot record delivery " + n.deliveryId() + ": " + e.getCause().getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void load(KafkaClients clients) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer("state-reader", Map.of(), new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        entries.remove(r.key());
                    } else {
                        entries.put(r.key(), parse(r.key(), r.value()));
                    }
                }
            }
        }
    }

    private static Entry parse(String deliveryId, byte[] value) {
        try {
            JsonNode v = Payloads.JSON.readTree(value);
            Notification n = new Notification(deliveryId, v.get("channel").asText(), v.get("incident_id").asText(),
                    v.get("state").asText(), v.get("run_id").asText(), v.get("body").asText(), v.get("accepted_at_micros").asLong());
            return new Entry(Status.valueOf(v.get("status").asText()), n, v.get("attempts").asInt(),
                    v.get("reason").isNull() ? null : v.get("reason").asText());
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable delivery log record " + deliveryId + ": " + e.getMessage(), e);
        }
    }
}
