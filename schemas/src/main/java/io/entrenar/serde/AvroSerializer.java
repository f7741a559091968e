package io.entrenar.serde;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer of Avro records (generated or generic) in Confluent's wire format. The schema id
 * is resolved once per (topic, schema) and cached; encoding reuses a per-thread buffer, so a
 * steady-state call allocates only the returned array.
 */
public final class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {
    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private AvroSerdeConfig config;
    private boolean isKey;
    private final Map<String, Map<Schema, Writer>> writersByTopic = new ConcurrentHashMap<>();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /** For Kafka's reflective construction; {@link #configure} then builds the registry client. */
    public AvroSerializer() {
    }

    /** Shares an existing registry client (not closed by {@link #close}). */
    public AvroSerializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
        this.registry = registry;
        this.config = new AvroSerdeConfig(configs);
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = new AvroSerdeConfig(configs);
        this.isKey = isKey;
        if (registry == null) {
            registry = CachedSchemaRegistryClient.fromConfigs(configs);
            ownsRegistry = true;
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Writer writer = writerFor(topic, record.getSchema());
        Scratch s = scratch.get();
        s.buffer.reset();
        s.encoder = EncoderFactory.get().directBinaryEncoder(s.buffer, s.encoder);
        try {
            writer.datumWriter.write(record, s.encoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode a " + record.getSchema().getFullName() + " for topic " + topic
                    + " with schema id " + writer.id + ": " + e.getMessage(), e);
        }
        byte[] out = Arrays.copyOf(s.buffer.bytes, s.buffer.size);
        ConfluentWireFormat.writeHeader(out, writer.id);
        return out;
    }

    @Override
    public void close() {
        if (ownsRegistry && registry != null) {
            registry.close();
        }
    }

    private Writer writerFor(String topic, Schema schema) {
        Map<Schema, Writer> writers = writersByTopic.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
        Writer writer = writers.get(schema);
        if (writer == null) {
            writer = writers.computeIfAbsent(schema, s -> resolve(topic, s));
        }
        return writer;
    }

    private Writer resolve(String topic, Schema schema) {
        String subject = config.subjectNameStrategy(isKey).subject(topic, isKey, schema);
        try {
            if (config.useLatestVersion()) {
                var latest = registry.latest(subject);
                return new Writer(latest.id(), datumWriter(latest.schema()));
            }
            int id = config.autoRegister() ? registry.register(subject, schema) : registry.lookup(subject, schema).id();
            return new Writer(id, datumWriter(schema));
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot resolve the schema id of " + schema.getFullName() + " under subject "
                    + subject + " for topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private static DatumWriter<Object> datumWriter(Schema schema) {
        // Generated classes carry their logical-type conversions in their SpecificData model.
        SpecificData model = SpecificData.getForSchema(schema);
        if (model.getClass(schema) != null && SpecificRecord.class.isAssignableFrom(model.getClass(schema))) {
            return new SpecificDatumWriter<>(schema, model);
        }
        return new GenericDatumWriter<>(schema, GenericData.get());
    }

    private record Writer(int id, DatumWriter<Object> datumWriter) {
    }

    /** Per-thread encoder and growable buffer; the header space is reserved up front. */
    private static final class Scratch {
        final HeaderedBuffer buffer = new HeaderedBuffer();
        BinaryEncoder encoder;
    }

    private static final class HeaderedBuffer extends OutputStream {
        byte[] bytes = new byte[512];
        int size;

        void reset() {
            size = ConfluentWireFormat.HEADER_SIZE;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
