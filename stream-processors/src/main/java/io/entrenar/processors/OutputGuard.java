package io.entrenar.processors;

import java.nio.charset.StandardCharsets;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Last node before an output sink: passes outputs on unchanged, except one the broker has refused
 * before ({@link RefusedOutputs}), which becomes a {@link Refused} dead letter: the bytes it would
 * have had on its topic, stamped with the wall clock so that the dead-letter topic accepts it.
 */
final class OutputGuard implements Processor<String, SpecificRecord, String, Object> {
    private final RefusedOutputs refused;
    private final DeadLetters.Counts counts;
    private final Serializer<SpecificRecord> serializer;
    private ProcessorContext<String, Object> context;

    /** A refused output on its way to the dead-letter topic. */
    record Refused(byte[] bytes) {
    }

    OutputGuard(RefusedOutputs refused, DeadLetters.Counts counts, Serializer<SpecificRecord> serializer) {
        this.refused = refused;
        this.counts = counts;
        this.serializer = serializer;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (refused.isEmpty()) {
            context.forward(record);
            return;
        }
        String topic = ProcessorsTopology.topicOf(record.value());
        String reason = refused.reason(topic, record.key(), record.timestamp());
        // Outputs of a punctuation (windows closed by the wall-clock check) have no input record.
        RefusedOutputs.Source source = context.recordMetadata().filter(m -> m.topic() != null)
                .map(m -> new RefusedOutputs.Source(m.topic(), m.partition(), m.offset(), record.timestamp())).orElse(null);
        if (reason != null && source != null) {
            refused.refusedAlongside(source, reason);
        } else if (reason == null && source != null) {
            reason = refused.reason(source);
        }
        if (reason == null) {
            context.forward(record);
            return;
        }
        counts.production.increment();
        Headers headers = new RecordHeaders();
        headers.add(DeadLetters.REASON, utf8(reason));
        headers.add(DeadLetters.STAGE, utf8(DeadLetters.STAGE_PRODUCTION));
        headers.add(DeadLetters.TARGET_TOPIC, utf8(topic));
        headers.add(DeadLetters.TIMESTAMP, utf8(Long.toString(record.timestamp())));
        if (source != null) {
            headers.add(DeadLetters.SOURCE_TOPIC, utf8(source.topic()));
            headers.add(DeadLetters.SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
            headers.add(DeadLetters.SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        }
        byte[] bytes = serializer.serialize(topic, record.value());
        context.forward(new Record<>(record.key(), new Refused(bytes), context.currentSystemTimeMs(), headers));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
