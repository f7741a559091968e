package io.entrenar.processors;

import java.util.HashMap;
import java.util.Map;

import io.entrenar.serde.AvroSerializer;
import io.entrenar.stack.SharedStack;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the integration tests feed the processors with: run-id keys and Confluent-framed events, like the agent's. */
final class EventProducer {
    private EventProducer() {
    }

    /** An idempotent {@code acks=all} producer on the shared stack that sends each record at once. */
    static KafkaProducer<String, SpecificRecord> open() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.stack().bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(p, new StringSerializer(), new AvroSerializer<>(SharedStack.registry(), Map.of(), false));
    }
}
