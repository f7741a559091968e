package io.entrenar.tracking;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning with Confluent-framed Avro decoding, as any downstream consumer would. */
final class TopicReader {
    private TopicReader() {
    }

    /** Records whose key is one of {@code runIds}, read until {@code done} holds or the timeout passes. */
    @SuppressWarnings("unchecked")
    static <T> List<ConsumerRecord<String, T>> read(String bootstrap, String registryUrl, Topic topic, Set<String> runIds,
                                                    Predicate<List<ConsumerRecord<String, T>>> done, Duration timeout) {
        List<ConsumerRecord<String, T>> out = new ArrayList<>();
        try (var registry = CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", registryUrl));
             AvroDeserializer<Object> values = new AvroDeserializer<>(registry, Map.of("specific.avro.reader", true), false);
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                     "bootstrap.servers", bootstrap, "group.id", "reader-" + UUID.randomUUID(),
                     "auto.offset.reset", "earliest", "enable.auto.commit", false, "isolation.level", "read_committed"),
                     new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic.topicName()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (runIds.contains(r.key())) {
                        T v = (T) values.deserialize(r);
                        out.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                                r.serializedKeySize(), r.serializedValueSize(), r.key(), v, r.headers(), r.leaderEpoch()));
                    }
                }
                if (done.test(out)) {
                    break;
                }
            }
        }
        return out;
    }
}
