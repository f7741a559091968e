package io.entrenar.processors;

import io.entrenar.stack.SharedStack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.entrenar.events.MetricStats;
import io.entrenar.events.WindowKind;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training host whose clock is two hours ahead, on the real broker (its default
 * message.timestamp.after.max.ms of 1 h applies to the output topics) with exactly-once: the
 * processors dead-letter the event and keep going, where they used to fail on it forever.
 */
@ExtendWith(SharedStack.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventTimeIntegrationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long TWO_HOURS_MICROS = Duration.ofHours(2).toNanos() / 1000;
    private static KafkaProducer<String, SpecificRecord> producer;

    @TempDir
    static Path dir;

    @BeforeAll
    static void producer() {
        producer = EventProducer.open();
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    private static Map<String, Object> config(String appId) {
        Map<String, Object> m = new HashMap<>();
        m.put(ProcessorsConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.stack().bootstrapServers());
        m.put(ProcessorsConfig.SCHEMA_REGISTRY_URL_CONFIG, SharedStack.stack().registryUrl());
        m.put(ProcessorsConfig.APPLICATION_ID_CONFIG, appId);
        m.put(ProcessorsConfig.STATE_DIR_CONFIG, dir.resolve(appId).toString());
        m.put(ProcessorsConfig.HTTP_PORT_CONFIG, 0);
        m.put(io.entrenar.ops.OpsConfig.PORT_CONFIG, 0);
        // A replaced stream thread's tasks come back once its old consumer's session expires: seconds, not the default 45 s.
        m.put("streams.consumer.session.timeout.ms", "6000");
        m.put("streams.consumer.heartbeat.interval.ms", "1000");
        return m;
    }

    /** The same run's batches in order on one partition: good, two hours ahead, good. */
    private static void sendGoodBadGood(String runId) {
        long t0 = System.currentTimeMillis() * 1000;
        producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), runId, new Events.Batch(runId).point("loss", 0, 4.0, t0).build()));
        producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), runId, new Events.Batch(runId).point("loss", 1, 3.0, t0 + TWO_HOURS_MICROS).build()));
        producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), runId, new Events.Batch(runId).point("loss", 2, 2.0, t0 + 2_000_000).build()));
        producer.flush();
    }

    /** Committed records of {@code topic} with key {@code key}, polled until {@code done} holds or 60 s pass. */
    private static <V> List<ConsumerRecord<String, V>> consume(Topic topic, String key, Deserializer<V> values, Predicate<List<ConsumerRecord<String, V>>> done) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.stack().bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(c, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !done.test(out)) {
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    private static List<Long> runCounts(String runId, int expected) {
        AvroDeserializer<MetricStats> avro = new AvroDeserializer<>(SharedStack.registry(), Map.of("specific.avro.reader", true), false);
        return consume(Topic.METRIC_STATS, runId, avro, l -> l.stream().filter(r -> r.value().getWindow() == WindowKind.RUN).count() >= expected)
                .stream().map(ConsumerRecord::value).filter(s -> s.getWindow() == WindowKind.RUN).map(MetricStats::getCount).toList();
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String metrics(ProcessorsApp app) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(app.opsUrl().orElseThrow() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    // First: the other test's app reads the same topic from the beginning, and counts what it finds there.
    @Test
    @Order(1)
    void anEventFromAClockHoursAheadIsADeadLetterAndTheGoodOnesAroundItGetThrough() throws Exception {
        try (ProcessorsApp app = ProcessorsApp.start(new ProcessorsConfig(config("it-event-time")))) {
            assertTrue(app.awaitRunning(Duration.ofSeconds(60)));
            sendGoodBadGood("clock-ahead");

            assertEquals(List.of(1L, 2L), runCounts("clock-ahead", 2), "both good batches, and only them, are in the statistics");
            List<ConsumerRecord<String, byte[]>> dead = consume(Topic.DLQ, "clock-ahead", new ByteArrayDeserializer(), l -> !l.isEmpty());
            assertEquals(1, dead.size());
            ConsumerRecord<String, byte[]> letter = dead.getFirst();
            assertEquals(DeadLetters.STAGE_EVENT_TIME, header(letter, DeadLetters.STAGE));
            assertEquals(Topic.METRICS.topicName(), header(letter, DeadLetters.SOURCE_TOPIC));
            assertEquals("event.time.max.ahead.ms=3300000", header(letter, DeadLetters.LIMIT));
            assertTrue(header(letter, DeadLetters.REASON).startsWith("MetricBatch ts_micros"), header(letter, DeadLetters.REASON));

            assertEquals(KafkaStreams.State.RUNNING, app.state());
            String metrics = metrics(app);
            assertTrue(metrics.contains("entrenar_processors_dead_letters_total{stage=\"event-time\"} 1\n"), metrics);
            assertTrue(metrics.contains("entrenar_processors_broker_refusals_total 0\n"), metrics);
            assertTrue(metrics.contains("StreamThread-1\""), metrics);
            assertFalse(metrics.contains("StreamThread-2\""), "the stream thread never failed: " + metrics);
        }
    }

    /** A run id whose records share a partition of the metrics topic with {@code runId}'s. */
    private static String samePartitionAs(String runId) {
        int partitions = producer.partitionsFor(Topic.METRICS.topicName()).size();
        for (int i = 0; ; i++) {
            String candidate = runId + "-neighbour-" + i;
            if (partition(candidate, partitions) == partition(runId, partitions)) {
                return candidate;
            }
        }
    }

    private static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Test
    @Order(2)
    void anOutputTheBrokerRefusesIsADeadLetterAfterARetryOfItsTask() throws Exception {
        Map<String, Object> lax = config("it-event-time-refused");
        // Let the event through, as a gate set wider than the brokers' limit would: the broker refuses the outputs.
        lax.put(ProcessorsConfig.EVENT_TIME_MAX_AHEAD_MS_CONFIG, Duration.ofDays(1).toMillis());
        String runId = "refused-run";
        String neighbour = samePartitionAs(runId);
        try (ProcessorsApp app = ProcessorsApp.start(new ProcessorsConfig(lax))) {
            assertTrue(app.awaitRunning(Duration.ofSeconds(60)));
            long t0 = System.currentTimeMillis() * 1000;
            producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), runId, new Events.Batch(runId).point("loss", 0, 4.0, t0).build()));
            producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), runId, new Events.Batch(runId).point("loss", 1, 3.0, t0 + TWO_HOURS_MICROS).build()));
            producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), neighbour, new Events.Batch(neighbour).point("loss", 0, 2.0, t0 + 1000).build()));
            producer.flush();

            assertEquals(List.of(1L), runCounts(runId, 1));
            assertEquals(List.of(1L), runCounts(neighbour, 1), "the next record of the partition gets through");
            List<ConsumerRecord<String, byte[]>> dead = consume(Topic.DLQ, runId, new ByteArrayDeserializer(),
                    l -> l.stream().anyMatch(r -> Topic.METRIC_STATS.topicName().equals(header(r, DeadLetters.TARGET_TOPIC))));
            ConsumerRecord<String, byte[]> letter = dead.stream()
                    .filter(r -> Topic.METRIC_STATS.topicName().equals(header(r, DeadLetters.TARGET_TOPIC))).findFirst().orElseThrow();
            assertEquals(DeadLetters.STAGE_PRODUCTION, header(letter, DeadLetters.STAGE));
            assertEquals(Topic.METRICS.topicName(), header(letter, DeadLetters.SOURCE_TOPIC));
            String reason = header(letter, DeadLetters.REASON);
            assertTrue(reason.contains("InvalidTimestampException") && reason.contains("out of range"), reason);
            assertEquals((t0 + TWO_HOURS_MICROS) / 1000, Long.parseLong(header(letter, DeadLetters.TIMESTAMP)));
            AvroDeserializer<MetricStats> avro = new AvroDeserializer<>(SharedStack.registry(), Map.of("specific.avro.reader", true), false);
            assertEquals(2, avro.deserialize(Topic.METRIC_STATS.topicName(), letter.value()).getCount(), "the refused record itself");

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (app.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(KafkaStreams.State.RUNNING, app.state());
            String metrics = metrics(app);
            assertTrue(metrics.lines().anyMatch(l -> l.matches("entrenar_processors_dead_letters_total\\{stage=\"production\"} [1-9].*")), metrics);
            assertTrue(metrics.lines().anyMatch(l -> l.matches("entrenar_processors_broker_refusals_total [1-9].*")), metrics);
            // One restart per transaction with refused records (here at most two: this test's and the previous one's), not a loop.
            assertFalse(metrics.contains("StreamThread-4\""), metrics);
        }
    }
}
