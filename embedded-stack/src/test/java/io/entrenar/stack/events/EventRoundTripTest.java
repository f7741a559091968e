package io.entrenar.stack.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.serde.AvroSerdeConfig;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.serde.ConfluentWireFormat;
import io.entrenar.stack.SharedStack;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every event type through the real broker and registry, decoded generically and into generated classes. */
@ExtendWith(SharedStack.class)
class EventRoundTripTest {
    /** Enough records per topic to rotate through every branch of RunEvent's payload union. */
    private static final int RECORDS_PER_TOPIC = 4;

    private static SchemaRegistryClient registry;

    @BeforeAll
    static void connect() {
        registry = SharedStack.registry();
    }


    @Test
    void everyEventTypeRoundTripsThroughBrokerAndRegistry() throws IOException {
        Map<Topic, List<GenericRecord>> sent = new HashMap<>();
        RandomEvents random = new RandomEvents(20261123L);
        Map<Topic, Map<Integer, Long>> startOffsets = new HashMap<>();
        try (KafkaConsumer<String, byte[]> probe = rawConsumer()) {
            for (Topic topic : topicsWithSchemas()) {
                startOffsets.put(topic, endOffsets(probe, topic));
            }
        }
        try (KafkaProducer<String, GenericRecord> producer = new KafkaProducer<>(producerConfigs(),
                new StringSerializer(), new AvroSerializer<>(registry, Map.of(), false))) {
            for (Topic topic : topicsWithSchemas()) {
                for (int n = 0; n < RECORDS_PER_TOPIC; n++) {
                    GenericRecord record = random.next(topic.valueSchema().orElseThrow(), n);
                    producer.send(new ProducerRecord<>(topic.topicName(), record.get("run_id").toString(), record));
                    sent.computeIfAbsent(topic, t -> new ArrayList<>()).add(record);
                }
            }
            producer.flush();
        }

        AvroDeserializer<GenericRecord> generic = new AvroDeserializer<>(registry, Map.of(), false);
        AvroDeserializer<Object> specific = new AvroDeserializer<>(registry, Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        Set<String> payloadBranches = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = rawConsumer()) {
            for (Topic topic : topicsWithSchemas()) {
                List<ConsumerRecord<String, byte[]>> received = readFrom(consumer, topic, startOffsets.get(topic), RECORDS_PER_TOPIC);
                int expectedId = registry.lookup(topic.valueSubject(), topic.valueSchema().orElseThrow()).id();
                List<GenericRecord> decoded = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : received) {
                    assertEquals(expectedId, ConfluentWireFormat.schemaId(r.value()), topic + " schema id in the header");
                    GenericRecord g = generic.deserialize(r);
                    assertEquals(r.key(), g.get("run_id").toString(), "key is the run id");
                    decoded.add(g);

                    Object typed = specific.deserialize(r);
                    Class<?> expectedClass = topic.valueClass().orElseThrow();
                    assertInstanceOf(expectedClass, typed);
                    // The generated class must hold exactly what was written: re-encode it and compare bytes.
                    assertArrayEquals(Arrays.copyOfRange(r.value(), ConfluentWireFormat.HEADER_SIZE, r.value().length),
                            encode((SpecificRecord) typed), topic + " specific re-encoding");
                    if (topic == Topic.RUNS) {
                        payloadBranches.add(((GenericRecord) g.get("payload")).getSchema().getName());
                    }
                }
                assertEquals(sorted(sent.get(topic)), sorted(decoded), topic + " generic values");
            }
        }
        assertEquals(Set.of("RunStarted", "RunStatusChanged", "RunAnnotated", "RunFinished"), payloadBranches);
    }

    static List<Topic> topicsWithSchemas() {
        return Arrays.stream(Topic.values()).filter(t -> t.valueSchema().isPresent()).toList();
    }

    static Map<String, Object> producerConfigs() {
        return Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers(), "acks", "all", "enable.idempotence", true);
    }

    static KafkaConsumer<String, byte[]> rawConsumer() {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    static Map<Integer, Long> endOffsets(KafkaConsumer<?, ?> consumer, Topic topic) {
        Map<Integer, Long> offsets = new HashMap<>();
        consumer.endOffsets(partitions(consumer, topic)).forEach((tp, o) -> offsets.put(tp.partition(), o));
        return offsets;
    }

    static List<ConsumerRecord<String, byte[]>> readFrom(KafkaConsumer<String, byte[]> consumer, Topic topic,
                                                        Map<Integer, Long> from, int count) {
        List<TopicPartition> partitions = partitions(consumer, topic);
        consumer.assign(partitions);
        partitions.forEach(tp -> consumer.seek(tp, from.getOrDefault(tp.partition(), 0L)));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        assertEquals(count, records.size(), "records read back from " + topic.topicName());
        return records;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, Topic topic) {
        return consumer.partitionsFor(topic.topicName()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private static List<String> sorted(List<GenericRecord> records) {
        // Per-run order holds within a partition only; compare as a multiset.
        return records.stream().map(r -> NormalizedJson.of(r, r.getSchema()).toString()).sorted().toList();
    }

    private static byte[] encode(SpecificRecord record) throws IOException {
        Schema schema = record.getSchema();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(schema, SpecificData.getForSchema(schema)).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
