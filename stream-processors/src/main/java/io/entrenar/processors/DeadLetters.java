package io.entrenar.processors;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.entrenar.schemas.Topic;
import io.entrenar.serde.WireFormatException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad records never stop the topology: undecodable input and records whose processing throws go
 * to {@code entrenar.dlq.v1} with the original key and value bytes and the reason in headers
 * ({@value #REASON}, {@value #STAGE}, {@value #SOURCE_TOPIC}, {@value #SOURCE_PARTITION},
 * {@value #SOURCE_OFFSET}, {@value #EXCEPTION}), and are counted. Kafka Streams writes the dead
 * letters in the same transaction as the task's output.
 */
final class DeadLetters {
    static final String REASON = "entrenar.dlq.reason";
    static final String STAGE = "entrenar.dlq.stage";
    static final String SOURCE_TOPIC = "entrenar.dlq.source.topic";
    static final String SOURCE_PARTITION = "entrenar.dlq.source.partition";
    static final String SOURCE_OFFSET = "entrenar.dlq.source.offset";
    static final String EXCEPTION = "entrenar.dlq.exception";
    static final String PROCESSOR = "entrenar.dlq.processor";
    /** Config key under which the app hands its {@link Counts} to the handlers Kafka Streams instantiates. */
    static final String COUNTS_CONFIG = "entrenar.dlq.counts";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {
    }

    /** Dead letters written by this app instance. */
    static final class Counts {
        final LongAdder deserialization = new LongAdder();
        final LongAdder processing = new LongAdder();

        long total() {
            return deserialization.sum() + processing.sum();
        }
    }

    private static Counts countsFrom(Map<String, ?> configs) {
        Object counts = configs.get(COUNTS_CONFIG);
        return counts instanceof Counts c ? c : new Counts();
    }

    static ProducerRecord<byte[], byte[]> letter(String stage, ErrorHandlerContext context, byte[] key, byte[] value, Exception e) {
        Headers headers = new RecordHeaders();
        String reason = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        if (e instanceof WireFormatException wire) {
            reason = wire.problem() + ": " + reason;
        }
        headers.add(REASON, utf8(reason));
        headers.add(STAGE, utf8(stage));
        headers.add(SOURCE_TOPIC, utf8(String.valueOf(context.topic())));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(context.partition())));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(context.offset())));
        headers.add(EXCEPTION, utf8(e.getClass().getName()));
        headers.add(PROCESSOR, utf8(String.valueOf(context.processorNodeId())));
        return new ProducerRecord<>(Topic.DLQ.topicName(), null, key, value, headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Undecodable input (bad framing, unknown schema id, corrupt Avro). */
    public static final class Deserialization implements DeserializationExceptionHandler {
        private Counts counts = new Counts();

        @Override
        public void configure(Map<String, ?> configs) {
            counts = countsFrom(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
            counts.deserialization.increment();
            LOG.warn("dead letter: cannot decode {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), exception.getMessage());
            return Response.resume(List.of(letter("deserialization", context, record.key(), record.value(), exception)));
        }
    }

    /** A decoded record that a processor rejected (inconsistent columns, impossible values). */
    public static final class Processing implements ProcessingExceptionHandler {
        private Counts counts = new Counts();

        @Override
        public void configure(Map<String, ?> configs) {
            counts = countsFrom(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            counts.processing.increment();
            LOG.warn("dead letter: {} failed on {}-{}@{}: {}", context.processorNodeId(), context.topic(), context.partition(),
                    context.offset(), exception.getMessage());
            return Response.resume(List.of(letter("processing", context, context.sourceRawKey(), context.sourceRawValue(), exception)));
        }
    }
}
