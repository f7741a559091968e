package io.entrenar.processors;

import io.entrenar.stack.SharedStack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.entrenar.events.EtaEstimate;
import io.entrenar.events.MetricStats;
import io.entrenar.events.WindowKind;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Events from a clock far ahead are dead letters before any processor sees them; outputs the broker refused go to the DLQ on the retry. */
@ExtendWith(SharedStack.class)
class EventTimeTopologyTest {
    /** The driver's wall clock, in µs: what "now" is for the gate. */
    private static final long NOW = Harness.START.toEpochMilli() * 1000;
    private static final long LIMIT = ProcessorsTopology.Settings.DEFAULT_MAX_AHEAD.toNanos() / 1000;

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<MetricStats> runStats(Harness h) {
        return h.<MetricStats>read(Topic.METRIC_STATS).stream().filter(s -> s.getWindow() == WindowKind.RUN).toList();
    }

    @Test
    void aPointFarAheadIsADeadLetterAndLeavesTheStatisticsAlone() {
        try (Harness h = new Harness()) {
            h.send(Topic.METRICS, "run-1", new Events.Batch("run-1").point("loss", 0, 4.0, NOW - 2_000_000).build());
            // A host two hours ahead; its first point is plausible, its second is not.
            h.send(Topic.METRICS, "run-1", new Events.Batch("run-1").point("loss", 1, 3.0, NOW - 1_000_000)
                    .point("loss", 2, 100.0, NOW + 7_200_000_000L).build());
            h.send(Topic.METRICS, "run-1", new Events.Batch("run-1").point("loss", 3, 2.0, NOW).build());

            List<MetricStats> stats = runStats(h);
            assertEquals(List.of(1L, 2L), stats.stream().map(MetricStats::getCount).toList(), "the bad batch is counted nowhere: " + stats);
            assertEquals(3.0, stats.getLast().getMean(), 1e-12);
            assertEquals(NOW / 1000, Events.micros(NOW).toEpochMilli());
            assertTrue(h.<EtaEstimate>read(Topic.ETA).stream().allMatch(e -> e.getTsMicros().toEpochMilli() <= Harness.START.toEpochMilli()));

            List<TestRecord<byte[], byte[]>> dead = h.readRaw(Topic.DLQ);
            assertEquals(1, dead.size());
            TestRecord<byte[], byte[]> letter = dead.getFirst();
            assertEquals("run-1", new String(letter.key(), StandardCharsets.UTF_8));
            assertEquals(DeadLetters.STAGE_EVENT_TIME, header(letter, DeadLetters.STAGE));
            assertEquals(Topic.METRICS.topicName(), header(letter, DeadLetters.SOURCE_TOPIC));
            assertEquals("1", header(letter, DeadLetters.SOURCE_OFFSET));
            assertEquals(Long.toString(NOW + 7_200_000_000L), header(letter, DeadLetters.TIMESTAMP));
            assertEquals("event.time.max.ahead.ms=3300000", header(letter, DeadLetters.LIMIT));
            String reason = header(letter, DeadLetters.REASON);
            assertTrue(reason.contains("MetricBatch timestamps_micros[1]") && reason.contains("2026-01-01T02:00:00Z") && reason.contains("7200 s ahead"), reason);
            // The original bytes: the letter decodes to the batch that was sent.
            try (AvroDeserializer<SpecificRecord> avro = new AvroDeserializer<>(SharedStack.registry(), Map.of("specific.avro.reader", true), false)) {
                io.entrenar.events.MetricBatch batch = (io.entrenar.events.MetricBatch) avro.deserialize(Topic.METRICS.topicName(), letter.value());
                assertEquals(List.of(1L, 2L), batch.getSteps());
            }
            assertEquals(1, h.deadLetters.eventTime.sum());
            assertEquals(0, h.deadLetters.processing.sum());
        }
    }

    @Test
    void theLimitIsInclusiveAndCoversRunEventsAndTimesBefore1970() {
        try (Harness h = new Harness()) {
            h.send(Topic.METRICS, "run-1", new Events.Batch("run-1").point("loss", 0, 1.0, NOW + LIMIT).build());
            h.send(Topic.METRICS, "run-1", new Events.Batch("run-1").point("loss", 1, 1.0, NOW + LIMIT + 1).build());
            h.send(Topic.RUNS, "run-2", Events.started("run-2", NOW + LIMIT + 1));
            h.send(Topic.METRICS, "run-3", new Events.Batch("run-3").point("loss", 0, 1.0, -1).build());

            assertEquals(1, runStats(h).size(), "only the point exactly at the limit is processed");
            List<TestRecord<byte[], byte[]>> dead = h.readRaw(Topic.DLQ);
            assertEquals(List.of("run-1", "run-2", "run-3"), dead.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList());
            assertTrue(header(dead.get(1), DeadLetters.REASON).startsWith("RunEvent ts_micros"), header(dead.get(1), DeadLetters.REASON));
            assertTrue(header(dead.get(2), DeadLetters.REASON).contains("before 1970"), header(dead.get(2), DeadLetters.REASON));
            assertEquals(3, h.deadLetters.eventTime.sum());
        }
    }

    @Test
    void theLimitFollowsTheConfiguration() {
        ProcessorsTopology.Settings d = ProcessorsTopology.Settings.defaults();
        ProcessorsTopology.Settings tight = new ProcessorsTopology.Settings(d.stats(), d.andon(), d.andonCheckInterval(), d.eta(), d.leaderboard(),
                d.andonFinishGrace(), Duration.ofSeconds(1));
        try (Harness h = new Harness(tight)) {
            h.send(Topic.METRICS, "run-1", new Events.Batch("run-1").point("loss", 0, 1.0, NOW + 1_000_000).build());
            h.send(Topic.METRICS, "run-1", new Events.Batch("run-1").point("loss", 1, 1.0, NOW + 2_000_000).build());
            // The wall clock catches up: the same time is plausible now.
            h.advanceWallClock(Duration.ofSeconds(1));
            h.send(Topic.METRICS, "run-1", new Events.Batch("run-1").point("loss", 2, 1.0, NOW + 2_000_000).build());
            assertEquals(List.of(1L, 2L), runStats(h).stream().map(MetricStats::getCount).toList());
            List<TestRecord<byte[], byte[]>> dead = h.readRaw(Topic.DLQ);
            assertEquals(1, dead.size());
            assertEquals("event.time.max.ahead.ms=1000", header(dead.getFirst(), DeadLetters.LIMIT));
        }
    }

    @Test
    void anOutputTheBrokerRefusedGoesToTheDeadLetterTopicInstead() {
        RefusedOutputs refused = new RefusedOutputs();
        long refusedMs = NOW / 1000 + 1000;
        refused.add(new ProducerRecord<>(Topic.METRIC_STATS.topicName(), null, refusedMs, "run-1".getBytes(StandardCharsets.UTF_8), new byte[0]),
                "broker refused it: InvalidTimestampException");
        try (Harness h = new Harness(ProcessorsTopology.Settings.defaults(), refused)) {
            h.send(Topic.METRICS, "run-1", new Events.Batch("run-1").point("loss", 0, 1.0, NOW).build());
            h.send(Topic.METRICS, "run-1", new Events.Batch("run-1").point("loss", 1, 2.0, NOW + 1000).build());
            h.send(Topic.METRICS, "run-1", new Events.Batch("run-1").point("loss", 2, 3.0, NOW + 1_000_000).build());
            h.send(Topic.METRICS, "run-1", new Events.Batch("run-1").point("loss", 3, 4.0, NOW + 2_000_000).build());

            List<MetricStats> stats = runStats(h);
            assertEquals(List.of(1L, 4L), stats.stream().map(MetricStats::getCount).toList(), "only the refused one is held back");
            List<TestRecord<byte[], byte[]>> dead = h.readRaw(Topic.DLQ);
            // The ETA of the same batch carries the same timestamp: the broker would refuse it as well.
            assertEquals(List.of(Topic.METRIC_STATS.topicName(), Topic.ETA.topicName()), dead.stream().map(r -> header(r, DeadLetters.TARGET_TOPIC)).toList());
            TestRecord<byte[], byte[]> letter = dead.getFirst();
            assertEquals(DeadLetters.STAGE_PRODUCTION, header(letter, DeadLetters.STAGE));
            assertEquals(Topic.METRIC_STATS.topicName(), header(letter, DeadLetters.TARGET_TOPIC));
            assertEquals(Long.toString(refusedMs), header(letter, DeadLetters.TIMESTAMP));
            assertEquals("broker refused it: InvalidTimestampException", header(letter, DeadLetters.REASON));
            assertEquals(Topic.METRICS.topicName(), header(letter, DeadLetters.SOURCE_TOPIC));
            assertEquals("2", header(letter, DeadLetters.SOURCE_OFFSET));
            assertEquals(Harness.START.toEpochMilli(), letter.timestamp(), "stamped with the wall clock, which the DLQ accepts");
            try (AvroDeserializer<SpecificRecord> avro = new AvroDeserializer<>(SharedStack.registry(), Map.of("specific.avro.reader", true), false)) {
                MetricStats held = (MetricStats) avro.deserialize(Topic.METRIC_STATS.topicName(), letter.value());
                assertEquals(3, held.getCount());
                assertEquals(2.0, held.getMean(), 1e-12);
            }
            assertEquals(2, h.deadLetters.production.sum());
            assertEquals(1, h.read(Topic.ETA).size(), "the ETA of the last batch, not held back");
            assertNull(refused.reason(Topic.METRIC_STATS.topicName(), "run-2", refusedMs));
        }
    }
}
