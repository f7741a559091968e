package io.entrenar.processors;

import io.entrenar.stack.SharedStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The processors' topology in a TopologyTestDriver, with the real registry behind the Avro serde. */
final class Harness implements AutoCloseable {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    final DeadLetters.Counts deadLetters = new DeadLetters.Counts();
    final TopologyTestDriver driver;
    private final Serde<SpecificRecord> events;

    Harness(ProcessorsTopology.Settings settings) {
        this(settings, new RefusedOutputs());
    }

    /** With the outputs the broker has refused so far, as the production exception handler records them. */
    Harness(ProcessorsTopology.Settings settings, RefusedOutputs refused) {
        this(settings, refused, SharedStack.registry());
    }

    /** Decoding through {@code registry}: e.g. one that does not answer. */
    Harness(ProcessorsTopology.Settings settings, RefusedOutputs refused, io.entrenar.registry.SchemaRegistryClient registry) {
        events = AvroSerde.specific(registry, Map.of(), false);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "processors-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.Deserialization.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.Processing.class);
        p.put(DeadLetters.COUNTS_CONFIG, deadLetters);
        driver = new TopologyTestDriver(ProcessorsTopology.build(settings, events, refused, deadLetters), p, START);
    }

    Harness() {
        this(ProcessorsTopology.Settings.defaults());
    }

    void send(Topic topic, String key, SpecificRecord value) {
        TestInputTopic<String, SpecificRecord> in = driver.createInputTopic(topic.topicName(), Serdes.String().serializer(), events.serializer());
        in.pipeInput(key, value);
    }

    void sendRaw(Topic topic, byte[] key, byte[] value) {
        driver.createInputTopic(topic.topicName(), new ByteArraySerializer(), new ByteArraySerializer()).pipeInput(key, value);
    }

    @SuppressWarnings("unchecked")
    <T extends SpecificRecord> List<T> read(Topic topic) {
        TestOutputTopic<String, SpecificRecord> out = driver.createOutputTopic(topic.topicName(), Serdes.String().deserializer(), events.deserializer());
        List<T> values = new ArrayList<>();
        for (SpecificRecord v : out.readValuesToList()) {
            values.add((T) v);
        }
        return values;
    }

    List<TestRecord<byte[], byte[]>> readRaw(Topic topic) {
        return driver.createOutputTopic(topic.topicName(), new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
    }

    void advanceWallClock(Duration d) {
        driver.advanceWallClockTime(d);
    }

    @Override
    public void close() {
        driver.close();
    }
}
