package io.entrenar.tracking;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.entrenar.schemas.Topic;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Avro body of a low-rate event (lifecycle, failure, artifact, span...) encoded with the generated class. */
final class EventEncoder {
    private EventEncoder() {
    }

    static Outbound encode(Topic topic, String runId, SpecificRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(bytes, null);
        SpecificDatumWriter<SpecificRecord> writer = new SpecificDatumWriter<>(record.getSchema(), SpecificData.getForSchema(record.getSchema()));
        try {
            writer.write(record, enc);
            enc.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot encode " + record.getSchema().getName() + ": " + e.getMessage(), e);
        }
        return new Outbound(topic, runId.getBytes(StandardCharsets.UTF_8), bytes.toByteArray());
    }
}
