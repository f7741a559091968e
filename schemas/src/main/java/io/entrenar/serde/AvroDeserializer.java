package io.entrenar.serde;

import java.io.EOFException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.entrenar.registry.SchemaNotFoundException;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryException;
import io.entrenar.serde.WireFormatException.Problem;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer of Confluent-framed Avro. With {@code specific.avro.reader=true} values become
 * the generated classes (the writer's schema resolved against the class's); otherwise
 * {@code GenericRecord}s in the writer's schema.
 *
 * <p>Bad bytes raise {@link WireFormatException}. Through the Kafka {@code Deserializer} API the
 * partition and offset are unknown (Kafka's consumer adds them in a
 * {@code RecordDeserializationException}); {@link #deserialize(ConsumerRecord)} names them itself.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {
    /**
     * Most items an Avro array or map may claim. Avro allocates what a length prefix claims before
     * reading the items, so a 26-byte record claiming 2^30 items exhausted a consumer's heap. A
     * record on our topics is at most about 1 MB (Kafka's default message size) and every item of
     * our arrays takes at least a byte, so 2^21 leaves twice the room any real record needs.
     */
    public static final long MAX_COLLECTION_ITEMS = 1L << 21;
    /** Longest string or bytes value a record may claim (16 MiB, far above a 1 MB record). */
    public static final long MAX_STRING_BYTES = 16L << 20;

    static {
        // Avro reads these once, when it first decodes; a -D given by the user wins.
        limit("org.apache.avro.limits.collectionItems.maxLength", MAX_COLLECTION_ITEMS);
        limit("org.apache.avro.limits.string.maxLength", MAX_STRING_BYTES);
        limit("org.apache.avro.limits.bytes.maxLength", MAX_STRING_BYTES);
    }

    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private boolean specific;
    private boolean isKey;
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();
    /** A topic usually carries one schema id: this skips the map (and boxing ids above 127). */
    private volatile LastReader last = new LastReader(-1, null);
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

    /** For Kafka's reflective construction; {@link #configure} then builds the registry client. */
    public AvroDeserializer() {
    }

    /** Shares an existing registry client (not closed by {@link #close}). */
    public AvroDeserializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
        this.registry = registry;
        this.specific = new AvroSerdeConfig(configs).specificReader();
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.specific = new AvroSerdeConfig(configs).specificReader();
        this.isKey = isKey;
        if (registry == null) {
            registry = CachedSchemaRegistryClient.fromConfigs(configs);
            ownsRegistry = true;
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return decode(topic, -1, -1L, data);
    }

    /**
     * Decodes the key or value (as configured) of a record consumed as bytes, naming its partition
     * and offset on failure. The other half of the record may have any type.
     */
    public T deserialize(ConsumerRecord<?, ?> record) {
        Object raw = isKey ? record.key() : record.value();
        if (raw != null && !(raw instanceof byte[])) {
            throw new IllegalArgumentException("the record's " + (isKey ? "key" : "value") + " is a "
                    + raw.getClass().getName() + ", not bytes: consume it with ByteArrayDeserializer");
        }
        return decode(record.topic(), record.partition(), record.offset(), (byte[]) raw);
    }

    @Override
    public void close() {
        if (ownsRegistry && registry != null) {
            registry.close();
        }
    }

    @SuppressWarnings("unchecked")
    private T decode(String topic, int partition, long offset, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length > 0 && data[0] != ConfluentWireFormat.MAGIC_BYTE) {
            throw new WireFormatException(topic, partition, offset, Problem.MISSING_MAGIC_BYTE, -1,
                    String.format("first byte is 0x%02x, expected the magic byte 0x00 of Confluent's framing "
                            + "(plain Avro or JSON written without a schema registry serializer?)", data[0] & 0xff), null);
        }
        if (data.length < ConfluentWireFormat.HEADER_SIZE) {
            throw new WireFormatException(topic, partition, offset, Problem.TOO_SHORT, -1,
                    data.length + " bytes, fewer than the 5-byte header (magic byte + 4-byte schema id)", null);
        }
        int id = ConfluentWireFormat.schemaId(data);
        DatumReader<Object> reader = readerFor(topic, partition, offset, id);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, ConfluentWireFormat.HEADER_SIZE,
                data.length - ConfluentWireFormat.HEADER_SIZE, decoders.get());
        decoders.set(decoder);
        Object value;
        try {
            value = reader.read(null, decoder);
        } catch (EOFException e) {
            throw new WireFormatException(topic, partition, offset, Problem.TRUNCATED_PAYLOAD, id,
                    "the payload of " + (data.length - ConfluentWireFormat.HEADER_SIZE) + " bytes ends inside the datum of schema id " + id, e);
        } catch (Exception e) {
            throw new WireFormatException(topic, partition, offset, Problem.MALFORMED_PAYLOAD, id,
                    "the payload does not decode with schema id " + id + ": " + e, e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new WireFormatException(topic, partition, offset, Problem.TRAILING_BYTES, id,
                        "bytes are left after the datum of schema id " + id, null);
            }
        } catch (java.io.IOException e) {
            throw new WireFormatException(topic, partition, offset, Problem.MALFORMED_PAYLOAD, id, e.toString(), e);
        }
        return (T) value;
    }

    private DatumReader<Object> readerFor(String topic, int partition, long offset, int id) {
        LastReader recent = last;
        if (recent.id == id) {
            return recent.reader;
        }
        DatumReader<Object> reader = readers.get(id);
        if (reader != null) {
            last = new LastReader(id, reader);
            return reader;
        }
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (SchemaNotFoundException e) {
            throw new WireFormatException(topic, partition, offset, Problem.UNKNOWN_SCHEMA_ID, id,
                    "the schema registry has no schema with id " + id, e);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot fetch schema id " + id + " for topic " + topic + ": " + e.getMessage(), e);
        }
        reader = specific ? specificReader(topic, partition, offset, id, writer) : new GenericDatumReader<>(writer, writer, GenericData.get());
        readers.putIfAbsent(id, reader);
        last = new LastReader(id, reader);
        return reader;
    }

    private record LastReader(int id, DatumReader<Object> reader) {
    }

    private static void limit(String property, long value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Long.toString(value));
        }
    }

    private static DatumReader<Object> specificReader(String topic, int partition, long offset, int id, Schema writer) {
        SpecificData model = SpecificData.getForSchema(writer);
        Class<?> type = model.getClass(writer);
        if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
            // Permanent: retrying (as for a registry outage) would hold the partition for ever.
            throw new WireFormatException(topic, partition, offset, Problem.UNKNOWN_RECORD_TYPE, id,
                    "schema id " + id + " is a " + writer.getFullName() + ", for which this reader has no generated class", null);
        }
        Schema reader = model.getSchema(type);
        return new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
    }
}
