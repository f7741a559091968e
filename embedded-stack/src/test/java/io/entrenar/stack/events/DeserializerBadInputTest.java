package io.entrenar.stack.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.entrenar.events.MetricBatch;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.serde.AvroSerdeConfig;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.serde.WireFormatException;
import io.entrenar.serde.WireFormatException.Problem;
import io.entrenar.stack.SharedStack;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bytes that are not our wire format fail loudly, naming topic, partition, offset and the problem. */
@ExtendWith(SharedStack.class)
class DeserializerBadInputTest {
    private static final String TOPIC = Topic.METRICS.topicName();
    private static SchemaRegistryClient registry;
    private static AvroDeserializer<MetricBatch> deserializer;
    private static byte[] valid;

    @BeforeAll
    static void setUp() {
        registry = SharedStack.registry();
        deserializer = new AvroDeserializer<>(registry, Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        GenericRecord batch = new RandomEvents(7).next(Topic.METRICS.valueSchema().orElseThrow(), 0);
        try (AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry, Map.of(), false)) {
            valid = serializer.serialize(TOPIC, batch);
        }
    }

    @Test
    void validBytesDecode() {
        assertInstanceOf(MetricBatch.class, deserializer.deserialize(TOPIC, valid));
    }

    @Test
    void jsonIsNotConfluentFramed() {
        WireFormatException e = bad("{\"loss\": 0.5}".getBytes(), Problem.MISSING_MAGIC_BYTE);
        assertTrue(e.getMessage().contains("first byte is 0x7b"), e.getMessage());
        assertTrue(e.getMessage().contains("topic " + TOPIC), e.getMessage());
    }

    @Test
    void fewerBytesThanTheHeader() {
        bad(new byte[0], Problem.TOO_SHORT);
        WireFormatException e = bad(new byte[] {0, 0, 0}, Problem.TOO_SHORT);
        assertTrue(e.getMessage().contains("3 bytes, fewer than the 5-byte header"), e.getMessage());
    }

    @Test
    void allocationBombsAreMalformedPayloadsNotOutOfMemory() {
        // A MetricBatch of 26 bytes whose first array claims 2^30 names: Avro used to allocate them all.
        byte[] header = Arrays.copyOf(valid, 5);
        byte[] fields = {2, 'e', 2, 'r', 0, 0, 2, 'p', 0}; // event_id, run_id, ts_micros, lamport, producer_id, sequence
        byte[] claim = zigzagVarint(1L << 30);
        byte[] bomb = concat(header, fields, claim);
        assertTrue(bomb.length <= 26, "the bomb is " + bomb.length + " bytes");
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        WireFormatException e = bad(bomb, Problem.MALFORMED_PAYLOAD);
        assertTrue(e.getMessage().contains("2097152") || e.getMessage().toLowerCase().contains("limit"), e.getMessage());

        // the same with a string that claims 1 GiB
        WireFormatException s = assertThrows(WireFormatException.class,
                () -> deserializer.deserialize(TOPIC, concat(header, zigzagVarint(1L << 30), new byte[] {'x'})));
        assertTrue(s.problem() == Problem.MALFORMED_PAYLOAD || s.problem() == Problem.TRUNCATED_PAYLOAD, s.getMessage());
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertTrue(after - before < 256L << 20, "decoding the bombs took " + ((after - before) >> 20) + " MiB");
        assertInstanceOf(MetricBatch.class, deserializer.deserialize(TOPIC, valid), "valid records still decode");
    }

    @Test
    void anotherServicesRecordTypeIsADeadLetterNotARetry() {
        org.apache.avro.Schema foreign = new org.apache.avro.Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Invoice\","
                + "\"namespace\":\"com.other\",\"fields\":[{\"name\":\"amount\",\"type\":\"double\"}]}");
        GenericRecord invoice = new org.apache.avro.generic.GenericData.Record(foreign);
        invoice.put("amount", 12.5);
        byte[] bytes;
        try (AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry, Map.of(), false)) {
            bytes = serializer.serialize("other.invoices", invoice);
        }
        WireFormatException e = bad(bytes, Problem.UNKNOWN_RECORD_TYPE);
        assertTrue(e.getMessage().contains("is a com.other.Invoice, for which this reader has no generated class"), e.getMessage());
    }

    private static byte[] zigzagVarint(long v) {
        long z = (v << 1) ^ (v >> 63);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while ((z & ~0x7FL) != 0) {
            out.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void unknownSchemaId() {
        WireFormatException e = bad(new byte[] {0, 0, 0x0f, 0x42, 0x40, 2, 4}, Problem.UNKNOWN_SCHEMA_ID);
        assertEquals(1_000_000, e.schemaId());
        assertTrue(e.getMessage().contains("no schema with id 1000000"), e.getMessage());
    }

    @Test
    void truncatedPayload() {
        WireFormatException e = bad(Arrays.copyOf(valid, valid.length / 2), Problem.TRUNCATED_PAYLOAD);
        assertEquals(Integer.valueOf(io.entrenar.serde.ConfluentWireFormat.schemaId(valid)), e.schemaId());
    }

    @Test
    void trailingBytes() {
        byte[] longer = Arrays.copyOf(valid, valid.length + 3);
        bad(longer, Problem.TRAILING_BYTES);
    }

    @Test
    void garbageAfterAValidHeader() {
        byte[] garbage = Arrays.copyOf(valid, 40);
        Arrays.fill(garbage, 5, garbage.length, (byte) 0xff);
        bad(garbage, Problem.MALFORMED_PAYLOAD);
    }

    @Test
    void aRawRecordIsNamedByPartitionAndOffset() throws Exception {
        String topic = Topic.DLQ.topicName();
        long offset;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            offset = producer.send(new ProducerRecord<>(topic, 1, "run-bad", "plain text".getBytes())).get().offset();
        }
        TopicPartition tp = new TopicPartition(topic, 1);

        try (KafkaConsumer<String, byte[]> raw = EventRoundTripTest.rawConsumer()) {
            raw.assign(List.of(tp));
            raw.seek(tp, offset);
            ConsumerRecord<String, byte[]> record = raw.poll(Duration.ofSeconds(10)).iterator().next();
            WireFormatException e = assertThrows(WireFormatException.class, () -> deserializer.deserialize(record));
            assertEquals(1, e.partition());
            assertEquals(offset, e.offset());
            assertTrue(e.getMessage().startsWith("topic " + topic + " partition 1 offset " + offset + ": MISSING_MAGIC_BYTE"), e.getMessage());
        }

        // Through Kafka's own consumer the deserializer's exception arrives wrapped with the position.
        try (KafkaConsumer<String, MetricBatch> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers()), new StringDeserializer(), deserializer)) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            RecordDeserializationException e = assertThrows(RecordDeserializationException.class,
                    () -> consumer.poll(Duration.ofSeconds(10)));
            assertEquals(tp, e.topicPartition());
            assertEquals(offset, e.offset());
            assertInstanceOf(WireFormatException.class, e.getCause());
        }
    }

    @Test
    void anUnreachableRegistryIsNotTheRecordsFault() {
        try (AvroDeserializer<GenericRecord> offline = new AvroDeserializer<>()) {
            offline.configure(Map.of("schema.registry.url", "http://127.0.0.1:1", "schema.registry.request.timeout.ms", 2000), false);
            SerializationException e = assertThrows(SerializationException.class, () -> offline.deserialize(TOPIC, valid));
            assertFalse(e instanceof WireFormatException, "a registry outage must not send records to the DLQ: " + e);
            assertTrue(e.getMessage().contains("cannot fetch schema id"), e.getMessage());
        }
    }

    private static WireFormatException bad(byte[] bytes, Problem problem) {
        WireFormatException e = assertThrows(WireFormatException.class, () -> deserializer.deserialize(TOPIC, bytes));
        assertEquals(problem, e.problem(), e.getMessage());
        assertEquals(TOPIC, e.topic());
        assertEquals(-1, e.partition());
        return e;
    }
}
