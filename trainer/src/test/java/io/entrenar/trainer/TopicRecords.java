package io.entrenar.trainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.stack.SharedStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a topic of the shared test stack holds, decoded, for assertions. */
final class TopicRecords {
    private TopicRecords() {
    }

    /** Every record of the topic by run id, in order. */
    static <T> Map<String, List<T>> read(Topic topic, Class<T> type) {
        Map<String, List<T>> byRun = new HashMap<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers()),
                new StringDeserializer(), new AvroDeserializer<>(SharedStack.registry(), Map.of("specific.avro.reader", true), false))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(100))) {
                    byRun.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(type.cast(r.value()));
                }
            }
        }
        return byRun;
    }
}
