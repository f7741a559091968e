package io.entrenar.stack.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.serde.AvroSerdeConfig;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.serde.ConfluentWireFormat;
import io.entrenar.stack.EmbeddedStack;
import io.entrenar.stack.StackConfig;
import io.entrenar.stack.events.NormalizedJson;
import io.entrenar.stack.events.RandomEvents;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Other teams' clients against our topics and registry: Debian's python3-confluent-kafka (legacy
 * AvroConsumer / AvroProducer / CachedSchemaRegistryClient), npm's kafkajs with
 * {@code @kafkajs/confluent-schema-registry}, and kcat. A stack of its own, so topics hold exactly
 * what this class wrote.
 */
class ConfluentPeersInteropTest {
    private static final int RECORDS_PER_TOPIC = 4;
    private static final List<Topic> TOPICS = Arrays.stream(Topic.values()).filter(t -> t.valueSchema().isPresent()).toList();

    private static Path dataDir;
    private static EmbeddedStack stack;
    private static SchemaRegistryClient registry;
    /** What Java wrote, per topic: (key, normalized value). */
    private static final Map<String, List<JsonNode>> written = new TreeMap<>();

    @BeforeAll
    static void writeEveryTopicWithOurSerializer() throws Exception {
        Peer.requireInstalled();
        dataDir = Files.createTempDirectory("entrenar-interop");
        stack = EmbeddedStack.start(new StackConfig(Map.of(StackConfig.DATA_DIR_CONFIG, dataDir.toString(),
                StackConfig.KAFKA_PORT_CONFIG, 0, StackConfig.REGISTRY_PORT_CONFIG, 0, "topics.partitions", 2)));
        registry = CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", stack.registryUrl()));
        RandomEvents random = new RandomEvents(31L);
        try (KafkaProducer<String, GenericRecord> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", stack.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new AvroSerializer<>(registry, Map.of(), false))) {
            for (Topic topic : TOPICS) {
                for (int n = 0; n < RECORDS_PER_TOPIC; n++) {
                    GenericRecord record = random.next(topic.valueSchema().orElseThrow(), n);
                    String key = record.get("run_id").toString();
                    producer.send(new ProducerRecord<>(topic.topicName(), key, record));
                    written.computeIfAbsent(topic.topicName(), t -> new ArrayList<>()).add(line(key, record));
                }
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) {
            registry.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void pythonAvroConsumerDecodesEveryTopicWithTheSameValues() throws Exception {
        assertPeerReadWhatWeWrote(consumerCommand(List.of(Peer.PYTHON, "interop/python/consume_avro.py")));
    }

    @Test
    void kafkajsWithConfluentSchemaRegistryDecodesEveryTopicWithTheSameValues() throws Exception {
        assertPeerReadWhatWeWrote(consumerCommand(List.of("node", "interop/node/consume.js")));
    }

    @Test
    void pythonAvroProducerWritesRecordsOurDeserializerReads() throws Exception {
        Map<String, List<Path>> samplesBySchema = new TreeMap<>();
        try (Stream<Path> files = Stream.concat(Files.list(Peer.ROOT.resolve("interop/samples")),
                Files.list(Peer.ROOT.resolve("interop/samples/extra")))) {
            files.filter(f -> f.toString().endsWith(".json"))
                    .forEach(f -> samplesBySchema.computeIfAbsent(f.getFileName().toString().split("\\.")[0], k -> new ArrayList<>()).add(f));
        }
        assertEquals(TOPICS.size(), samplesBySchema.size(), "a sample for every schema: " + samplesBySchema.keySet());

        AvroDeserializer<GenericRecord> generic = new AvroDeserializer<>(registry, Map.of(), false);
        AvroDeserializer<Object> specific = new AvroDeserializer<>(registry, Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            for (Topic topic : TOPICS) {
                String schemaName = topic.valueSchema().orElseThrow().getName();
                List<Path> samples = samplesBySchema.get(schemaName);
                List<TopicPartition> partitions = consumer.partitionsFor(topic.topicName()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                Map<TopicPartition, Long> before = consumer.endOffsets(partitions);

                List<String> command = new ArrayList<>(List.of(Peer.PYTHON, "interop/python/produce_avro.py",
                        "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl(),
                        "--topic", topic.topicName(), "--schema", "schemas/src/main/avro/" + schemaName + ".avsc"));
                List<JsonNode> expected = new ArrayList<>();
                for (Path sample : samples) {
                    command.addAll(List.of("--value-json", "@" + Peer.ROOT.relativize(sample)));
                    expected.add(NormalizedJson.MAPPER.readTree(sample.toFile()));
                }
                // Keys are run ids, as on every pipeline topic (the compacted leaderboard requires one).
                command.addAll(List.of("--key", expected.get(0).get("run_id").asText()));
                List<JsonNode> produced = Peer.runJsonLines(command, 60);
                assertEquals(samples.size(), produced.size());
                // Python's avro re-serializes the schema without docs before registering it; like
                // Confluent's registry, ours keys schemas by their full text, so that may become a
                // new version. It must be the same schema in Avro's parsing canonical form.
                int pythonId = produced.get(0).get("schema_id").asInt();
                assertEquals(SchemaNormalization.parsingFingerprint64(topic.valueSchema().orElseThrow()),
                        SchemaNormalization.parsingFingerprint64(registry.schemaById(pythonId)), topic + " schema Python registered");
                assertTrue(registry.versions(topic.valueSubject()).contains(registry.lookup(topic.valueSubject(), registry.schemaById(pythonId)).version()));

                consumer.assign(partitions);
                before.forEach(consumer::seek);
                List<JsonNode> decoded = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (decoded.size() < samples.size() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        assertEquals(pythonId, ConfluentWireFormat.schemaId(r.value()));
                        GenericRecord value = generic.deserialize(r);
                        specific.deserialize(r); // must also decode into the generated class
                        decoded.add(reparse(NormalizedJson.of(value, value.getSchema())));
                    }
                }
                assertSameMultiset(topic.topicName(), expected, decoded);
            }
        }
    }

    @Test
    void pythonCachedSchemaRegistryClientReadsOurRegistry() throws Exception {
        String subject = "interop.registry-check-value";
        int ourId = registry.register(subject, Topic.RUNS.valueSchema().orElseThrow());
        JsonNode answer = Peer.runJsonLines(List.of(Peer.PYTHON, "interop/python/registry_check.py",
                "--registry", stack.registryUrl(), "--subject", subject), 30).get(0);
        assertEquals(ourId, answer.get("id").asInt(), answer.toString());
        assertEquals("io.entrenar.events.RunEvent", answer.get("name").asText(), answer.toString());
        assertEquals(1, answer.get("version").asInt(), answer.toString());
    }

    @Test
    void kcatListsOurTopics() throws Exception {
        JsonNode metadata = NormalizedJson.MAPPER.readTree(Peer.run(List.of("kcat", "-L", "-J", "-b", stack.bootstrapServers()), 30));
        Set<String> listed = new TreeSet<>();
        metadata.get("topics").forEach(t -> listed.add(t.get("topic").asText()));
        Set<String> ours = Arrays.stream(Topic.values()).map(Topic::topicName).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(listed.containsAll(ours), "kcat lists " + listed);
        assertTrue(listed.contains("_schemas"), "the registry's topic is a plain Kafka topic too");
        metadata.get("topics").forEach(t -> {
            if (ours.contains(t.get("topic").asText())) {
                assertEquals(2, t.get("partitions").size(), t.get("topic").asText());
            }
        });
    }

    private static List<String> consumerCommand(List<String> program) {
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of("--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl(),
                "--count", Integer.toString(RECORDS_PER_TOPIC), "--timeout", "60"));
        TOPICS.forEach(t -> command.addAll(List.of("--topic", t.topicName())));
        return command;
    }

    private static void assertPeerReadWhatWeWrote(List<String> command) throws Exception {
        Map<String, List<JsonNode>> read = new LinkedHashMap<>();
        Map<String, Set<Integer>> ids = new HashMap<>();
        for (JsonNode line : Peer.runJsonLines(command, 120)) {
            String topic = line.get("topic").asText();
            read.computeIfAbsent(topic, t -> new ArrayList<>())
                    .add(NormalizedJson.MAPPER.createObjectNode().put("key", line.get("key").asText()).set("value", line.get("value")));
            ids.computeIfAbsent(topic, t -> new TreeSet<>()).add(line.get("schema_id").asInt());
        }
        assertEquals(written.keySet(), new TreeSet<>(read.keySet()), "topics read");
        for (Topic topic : TOPICS) {
            int ourId = registry.lookup(topic.valueSubject(), topic.valueSchema().orElseThrow()).id();
            assertEquals(Set.of(ourId), ids.get(topic.topicName()), topic + " schema ids");
            assertSameMultiset(topic.topicName(), written.get(topic.topicName()), read.get(topic.topicName()));
        }
    }

    private static JsonNode line(String key, GenericRecord record) {
        return NormalizedJson.MAPPER.createObjectNode().put("key", key)
                .set("value", reparse(NormalizedJson.of(record, record.getSchema())));
    }

    /** Through text, so that Java's number nodes compare equal to the ones parsed from a peer's output. */
    private static JsonNode reparse(JsonNode node) {
        try {
            return NormalizedJson.MAPPER.readTree(node.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Order within a topic depends on partitions; compare as multisets. */
    private static void assertSameMultiset(String what, List<JsonNode> expected, List<JsonNode> actual) {
        List<JsonNode> remaining = new ArrayList<>(actual);
        for (JsonNode e : expected) {
            assertTrue(remaining.remove(e), what + ": no match for " + e + "\namong " + remaining);
        }
        assertTrue(remaining.isEmpty(), what + ": unexpected " + remaining);
    }
}
