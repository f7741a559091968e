package io.entrenar.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrenar.events.AlertState;
import io.entrenar.events.FailureCategory;
import io.entrenar.events.RunStatus;
import io.entrenar.schemas.Topic;
import io.entrenar.sink.engine.ChdbEngine;
import io.entrenar.sink.engine.QueryResult;
import io.entrenar.stack.EmbeddedStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sink against a real broker and registry, writing into the real engine. */
@ExtendWith(EngineExtension.class)
class SinkAppTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ChdbEngine engine;
    private final EmbeddedStack stack;

    SinkAppTest(ChdbEngine engine, EmbeddedStack stack) {
        this.engine = engine;
        this.stack = stack;
    }

    @Test
    void injectionIsStoredAsDataAndBadRecordsGoToTheDeadLetterTopic() throws Exception {
        String db = "sink_injection";
        engine.execute("DROP DATABASE IF EXISTS " + db);
        String hostile = "x\n\nDROP TABLE runs";
        String hostileMetric = "loss\n\nDROP TABLE " + db + ".run_events";
        Pipeline.produce(stack, List.of(
                Events.started("inj-1", 1, Map.of("lr", hostile), Map.of("note", hostile), List.of(), null, null),
                Events.metricPoints("inj-1", hostileMetric, new long[] {1, 2}, new double[] {0.5, 0.25}),
                Events.failure("inj-1", hostile, FailureCategory.DATA)));
        Pipeline.produceRaw(stack, Topic.METRICS.topicName(), "inj-1", "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8));

        try (SinkApp app = SinkApp.start(Pipeline.config(stack, db, "g-injection", Map.of()), engine)) {
            Pipeline.await("the injected run's rows", WAIT, () -> app.status().deadLetters() >= 1
                    && app.status().lastCommitMillis() > 0
                    && tableExists(db, "failures")
                    && Pipeline.count(engine, "SELECT count() FROM " + db + ".failures WHERE run_id = 'inj-1'") == 1
                    && Pipeline.count(engine, "SELECT count() FROM " + db + ".metric_points WHERE run_id = 'inj-1'") == 2
                    && Pipeline.count(engine, "SELECT count() FROM " + db + ".run_events WHERE run_id = 'inj-1'") == 1);
            assertNull(app.failure());
            assertEquals(1, app.status().deadLetters());
            assertTrue(app.status().lastBatchAgeMillis() > 0, app.status().toString());
            String scraped = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(app.opsUrl().orElseThrow() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(scraped.contains("\nentrenar_sink_dead_letters_total 1\n"), scraped);
            assertTrue(app.status().toPrometheus().contains("\nentrenar_sink_dead_letters_total 1\n"),
                    app.status().toPrometheus());
        }

        QueryResult run = engine.rows("SELECT tags['note'] AS note, params['lr'] AS lr FROM " + db + ".runs WHERE run_id = 'inj-1'");
        assertEquals(hostile, run.get(0, "note"));
        assertEquals(hostile, run.get(0, "lr"));
        assertEquals(hostileMetric, engine.rows("SELECT DISTINCT name FROM " + db + ".metric_points WHERE run_id = 'inj-1'").single());
        assertEquals(hostile, engine.rows("SELECT error_code FROM " + db + ".failures WHERE run_id = 'inj-1'").single());
        assertTrue(tableExists(db, "runs") && tableExists(db, "run_events"), "nothing was dropped");

        ConsumerRecord<byte[], byte[]> dead = firstDeadLetter("inj-1");
        assertEquals("MISSING_MAGIC_BYTE", header(dead, DeadLetters.REASON_HEADER));
        assertEquals(Topic.METRICS.topicName(), header(dead, DeadLetters.TOPIC_HEADER));
        assertTrue(header(dead, DeadLetters.MESSAGE_HEADER).contains("offset"), header(dead, DeadLetters.MESSAGE_HEADER));
        assertEquals("{\"not\":\"avro\"}", new String(dead.value(), StandardCharsets.UTF_8));
    }

    @Test
    void theSameBatchDeliveredTwiceGivesTheSameResults() throws Exception {
        String db = "sink_redelivery";
        String group = "g-redelivery";
        engine.execute("DROP DATABASE IF EXISTS " + db);
        List<SpecificRecord> events = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            String run = "redo-" + r;
            events.add(Events.started(run, 1, Map.of("lr", "0." + r), Map.of(), r == 0 ? List.of() : List.of("redo-0"),
                    0.5 + r * 0.1, 0.8));
            events.add(Events.metrics(run, List.of("loss", "accuracy"), 0, 100));
            events.add(Events.syscalls(run, 0, 49, 1000L * (r + 1), 100));
            events.add(Events.failure(run, r % 2 == 0 ? "E_OOM" : "E_NAN", FailureCategory.RESOURCE));
            events.add(Events.alert(run, AlertState.FIRING));
            events.add(Events.eta(run, 100, 20, 21.0));
            events.add(Events.leaderboard(run, 0.9 + r * 0.01, 1.0 + r, r % 2 == 0));
            events.add(Events.finished(run, 200, r == 3 ? RunStatus.FAILED : RunStatus.COMPLETED, r == 3 ? "E_NAN" : null,
                    0.9 + r * 0.01, 1.0 + r));
        }
        Pipeline.produce(stack, events);
        List<String> queries = List.of(
                "SELECT run_id, status, params, summary FROM " + db + ".runs WHERE run_id LIKE 'redo-%' ORDER BY run_id",
                "SELECT count(), sum(value) FROM " + db + ".metric_points FINAL WHERE run_id LIKE 'redo-%'",
                "SELECT error_code, count() FROM " + db + ".failures FINAL WHERE run_id LIKE 'redo-%' GROUP BY error_code ORDER BY 1",
                "SELECT count() FROM " + db + ".lineage_edges FINAL WHERE child_run_id LIKE 'redo-%'",
                "SELECT count(), sum(bytes) FROM " + db + ".syscalls FINAL WHERE run_id LIKE 'redo-%'",
                "SELECT count() FROM " + db + ".alerts FINAL WHERE run_id LIKE 'redo-%'",
                "SELECT run_id, quality FROM " + db + ".leaderboard FINAL WHERE run_id LIKE 'redo-%' ORDER BY run_id");

        List<QueryResult> first;
        long consumed;
        long inserted;
        try (SinkApp app = SinkApp.start(Pipeline.config(stack, db, group, Map.of()), engine)) {
            awaitAll(app, db);
            Pipeline.await("offsets committed", WAIT, () -> app.status().lastCommitMillis() > 0);
            consumed = app.status().recordsConsumed();
        }
        inserted = Pipeline.count(engine, "SELECT sum(total_rows) FROM system.tables WHERE database = '" + db + "'");
        first = run(queries);
        assertEquals("800", first.get(1).rows().getFirst().getFirst());

        // The crash between insert and commit: the rows are in, the offsets are not.
        rewindGroup(group);
        try (SinkApp app = SinkApp.start(Pipeline.config(stack, db, group, Map.of()), engine)) {
            Pipeline.await("the whole topic set re-delivered", WAIT, () -> app.status().recordsConsumed() >= consumed
                    && app.status().lag() == 0);
            Pipeline.await("the re-delivered batch inserted", WAIT, () -> app.status().rowsInserted() >= inserted - 10);
        }
        long stored = Pipeline.count(engine, "SELECT count() FROM " + db + ".metric_points WHERE run_id LIKE 'redo-%'");
        assertTrue(stored == 800 || stored == 1600, "either merged already or stored twice: " + stored);
        assertEquals(first, run(queries));
    }

    private void awaitAll(SinkApp app, String db) {
        Pipeline.await("all redo rows", WAIT, () -> tableExists(db, "run_events")
                && Pipeline.count(engine, "SELECT count() FROM " + db + ".run_events WHERE run_id LIKE 'redo-%'") == 8
                && Pipeline.count(engine, "SELECT count() FROM " + db + ".metric_points WHERE run_id LIKE 'redo-%'") == 800
                && Pipeline.count(engine, "SELECT count() FROM " + db + ".leaderboard WHERE run_id LIKE 'redo-%'") == 4
                && Pipeline.count(engine, "SELECT count() FROM " + db + ".eta WHERE run_id LIKE 'redo-%'") == 4
                && Pipeline.count(engine, "SELECT count() FROM " + db + ".alerts WHERE run_id LIKE 'redo-%'") == 4
                && Pipeline.count(engine, "SELECT count() FROM " + db + ".syscalls WHERE run_id LIKE 'redo-%'") == 8
                && Pipeline.count(engine, "SELECT count() FROM " + db + ".failures WHERE run_id LIKE 'redo-%'") == 4
                && app.status().lag() == 0);
    }

    private List<QueryResult> run(List<String> queries) {
        List<QueryResult> out = new ArrayList<>();
        for (String q : queries) {
            out.add(engine.rows(q));
        }
        return out;
    }

    private void rewindGroup(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            assertTrue(!committed.isEmpty(), "the first sink committed offsets");
            Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
            committed.keySet().forEach(tp -> zero.put(tp, new OffsetAndMetadata(0)));
            admin.alterConsumerGroupOffsets(group, zero).all().get();
        }
    }

    private boolean tableExists(String db, String table) {
        return Pipeline.count(engine, "SELECT count() FROM system.tables WHERE database = '" + db + "' AND name = '" + table + "'") == 1;
    }

    private ConsumerRecord<byte[], byte[]> firstDeadLetter(String key) {
        Map<String, Object> cfg = Map.of("bootstrap.servers", stack.bootstrapServers(), "group.id", "dlq-reader-" + key,
                "auto.offset.reset", "earliest");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topic.DLQ.topicName()));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no dead letter with key " + key);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
