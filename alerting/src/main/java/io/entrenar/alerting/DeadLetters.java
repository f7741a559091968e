package io.entrenar.alerting;

import java.nio.charset.StandardCharsets;

import io.entrenar.schemas.DeadLetter;
import io.entrenar.schemas.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/** Writes what alerting gave up on to {@code entrenar.dlq.v1}, with the reason in headers. */
final class DeadLetters {
    private static final String APP = "alerting";
    private final KafkaProducer<String, byte[]> producer;

    DeadLetters(KafkaProducer<String, byte[]> producer) {
        this.producer = producer;
    }

    /** A notification whose delivery failed for good: the rendered body, so it can be resent by hand. */
    void send(Notification n, String channel, String reason, String message) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topic.DLQ.topicName(), n.runId(), n.body().getBytes(StandardCharsets.UTF_8));
        headers(r.headers(), reason, message);
        r.headers().add("entrenar.dlq.channel", utf8(channel)).add("entrenar.dlq.delivery_id", utf8(n.deliveryId()));
        producer.send(r);
    }

    /** An alert record that does not decode: the original bytes, with where it was. */
    void send(ConsumerRecord<byte[], byte[]> original, String reason, String message) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topic.DLQ.topicName(), null,
                original.key() == null ? null : new String(original.key(), StandardCharsets.UTF_8), original.value());
        headers(r.headers(), reason, message);
        r.headers().add(DeadLetter.SOURCE_TOPIC, utf8(original.topic()))
                .add(DeadLetter.SOURCE_PARTITION, utf8(Integer.toString(original.partition())))
                .add(DeadLetter.SOURCE_OFFSET, utf8(Long.toString(original.offset())));
        producer.send(r);
    }

    private static void headers(Headers h, String reason, String message) {
        h.add(DeadLetter.APP, utf8(APP)).add(DeadLetter.REASON, utf8(reason)).add(DeadLetter.MESSAGE, utf8(message));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
