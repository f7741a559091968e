package io.entrenar.sink;

import io.entrenar.schemas.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends records the sink cannot store to the dead-letter topic: the original key, value and
 * headers, plus the reason. {@link #flush()} before committing offsets, so that a dead letter is
 * durable before its source record is marked done.
 */
final class DeadLetters implements AutoCloseable {

    // The headers every app uses (io.entrenar.schemas.DeadLetter).
    static final String REASON_HEADER = DeadLetter.REASON;
    static final String MESSAGE_HEADER = DeadLetter.MESSAGE;
    static final String TOPIC_HEADER = DeadLetter.SOURCE_TOPIC;
    static final String PARTITION_HEADER = DeadLetter.SOURCE_PARTITION;
    static final String OFFSET_HEADER = DeadLetter.SOURCE_OFFSET;
    static final String APP_HEADER = DeadLetter.APP;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** @param producer the sink's dead-letter producer, owned (closed) by this */
    DeadLetters(KafkaProducer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    void send(ConsumerRecord<byte[], byte[]> record, String reason, String message) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            headers.add(h);
        }
        headers.add(REASON_HEADER, utf8(reason));
        headers.add(MESSAGE_HEADER, utf8(message == null ? reason : message));
        headers.add(TOPIC_HEADER, utf8(record.topic()));
        headers.add(PARTITION_HEADER, utf8(Integer.toString(record.partition())));
        headers.add(OFFSET_HEADER, utf8(Long.toString(record.offset())));
        headers.add(APP_HEADER, utf8("sink"));
        producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers), (md, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    /** Waits until every dead letter is acknowledged; throws if one could not be written. */
    void flush() {
        producer.flush();
        Exception e = failure.getAndSet(null);
        if (e != null) {
            throw new IllegalStateException("cannot write to dead-letter topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
