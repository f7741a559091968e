package io.entrenar.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.entrenar.schemas.Topic;
import io.entrenar.stack.SharedStack;
import io.entrenar.tracking.ProcessIdentity;
import io.entrenar.tracking.Run;
import io.entrenar.tracking.Tracker;
import io.entrenar.tracking.TrackerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor's view of a dead process: its unfinished runs, found on the runs topic and ended as FAILED. */
@ExtendWith(SharedStack.class)
class OrphanedRunsTest {

    @Test
    void onlyTheUnfinishedRunsOfTheDeadProcessAreFailed(@TempDir Path dir) throws Exception {
        Instant processStart = Instant.now();
        Map<String, Object> kafka = Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers(),
                "schema.registry.url", SharedStack.stack().registryUrl());
        String finished;
        String open;
        try (Tracker tracker = Tracker.start(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers(),
                "schema.registry.url", SharedStack.stack().registryUrl(), "spool.dir", dir.resolve("spool").toString()))) {
            Run done = tracker.experiment("orphans").run("finished-before-death").start();
            done.logMetric("loss", 0.5, 1);
            done.finish();
            finished = done.id();
            Run left = tracker.experiment("orphans").run("left-open").start();
            for (int step = 0; step < 50; step++) {
                left.logMetric("loss", 1.0 / (step + 1), step);
            }
            open = left.id();
            tracker.flush(java.time.Duration.ofSeconds(30));
        }
        // A spool replay re-sends events the broker already had: here the finished run's RunStarted comes again after its finish.
        resendFirstRecordOf(finished);
        OrphanedRuns.Death death = new OrphanedRuns.Death(ProcessIdentity.host(), ProcessIdentity.pid(), processStart, 137,
                List.of("some stderr line"));
        OrphanedRuns orphans = new OrphanedRuns(new TrackerConfig(kafka));
        List<OrphanedRuns.Orphan> found = orphans.failAll(death);
        assertEquals(List.of(open), found.stream().map(OrphanedRuns.Orphan::runId).toList(), "the finished run is not open, even when its RunStarted comes again: " + finished);
        assertEquals(List.of(), orphans.find(death), "once failed, a run is no longer open");
        assertEquals(List.of(), orphans.find(new OrphanedRuns.Death("another-host", ProcessIdentity.pid(), processStart, 137, List.of())),
                "the same pid on another host is another process");
    }

    @Test
    void aDeadJvmWithTheAgentIsOneFailureOfItsTrainingRunNotTwo(@TempDir Path dir) throws Exception {
        Instant processStart = Instant.now();
        String host;
        String training;
        try (Tracker tracker = Tracker.start(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers(),
                "schema.registry.url", SharedStack.stack().registryUrl(), "spool.dir", dir.resolve("spool").toString()))) {
            // What the agent and the trainer leave behind in one JVM: its process record, and a training run naming it.
            Run jvm = tracker.experiment("orphans-jvm").run("TrainMain").tag("entrenar.agent", "premain").start();
            Run train = tracker.experiment("orphans").run("crashed").tag(io.entrenar.tracking.RunBuilder.JVM_RUN_TAG, jvm.id()).start();
            train.logMetric("loss", 1.0, 1);
            host = jvm.id();
            training = train.id();
            tracker.flush(java.time.Duration.ofSeconds(30));
        }
        OrphanedRuns.Death death = new OrphanedRuns.Death(ProcessIdentity.host(), ProcessIdentity.pid(), processStart, 137, List.of());
        List<OrphanedRuns.Orphan> found = new OrphanedRuns(new TrackerConfig(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers(),
                "schema.registry.url", SharedStack.stack().registryUrl()))).failAll(death);
        Map<String, Boolean> processRecords = new java.util.HashMap<>();
        found.forEach(o -> processRecords.put(o.runId(), o.processRecord()));
        assertEquals(Map.of(host, true, training, false), processRecords, "both ended, one of them the JVM's record");

        Map<String, List<io.entrenar.events.Failure>> failures = TopicRecords.read(Topic.FAILURES, io.entrenar.events.Failure.class);
        assertEquals(1, failures.getOrDefault(training, List.of()).size(), "the training run's death is recorded once");
        assertEquals(OrphanedRuns.ERROR_CODE, failures.get(training).get(0).getErrorCode());
        assertEquals(List.of(), failures.getOrDefault(host, List.of()), "and not a second time on the process record");
        Map<String, List<io.entrenar.events.RunEvent>> runs = TopicRecords.read(Topic.RUNS, io.entrenar.events.RunEvent.class);
        for (String run : List.of(host, training)) {
            List<io.entrenar.events.RunEvent> events = runs.get(run);
            var end = (io.entrenar.events.RunFinished) events.get(events.size() - 1).getPayload();
            assertEquals(io.entrenar.events.RunStatus.FAILED, end.getStatus(), "no run stays RUNNING: " + run);
        }
    }

    /** Sends the run's first record on the runs topic (its RunStarted) again, byte for byte, as a spool replay does. */
    private static void resendFirstRecordOf(String runId) {
        Map<String, Object> configs = Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(configs, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.RUNS.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (runId.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value()));
                        producer.flush();
                        return;
                    }
                }
            }
            throw new AssertionError("no record of run " + runId + " on " + Topic.RUNS.topicName());
        }
    }
}
