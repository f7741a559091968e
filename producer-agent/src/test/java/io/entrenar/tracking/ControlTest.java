package io.entrenar.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.entrenar.control.ControlKeys;
import io.entrenar.control.SigningSerializer;
import io.entrenar.events.ControlAction;
import io.entrenar.events.ControlCommand;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunStatus;
import io.entrenar.events.RunStatusChanged;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.DeadLetter;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.stack.SharedStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** STOP / PAUSE / RESUME / APPROVE sent on entrenar.control.v1 by another producer reach the run. */
@ExtendWith(SharedStack.class)
class ControlTest {
    @TempDir
    Path spool;

    private Tracker tracker(ControlKeys keys) {
        return Tracker.start(Map.of(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.stack().bootstrapServers(),
                TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, SharedStack.stack().registryUrl(), TrackerConfig.SPOOL_DIR_CONFIG,
                spool.resolve("spool").toString(), TrackerConfig.CONTROL_KEYS_FILE_CONFIG, keys.file().toString()));
    }

    private static KafkaProducer<String, ControlCommand> signedBy(ControlKeys keys, SchemaRegistryClient registry) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers()), new StringSerializer(),
                new SigningSerializer<>(new AvroSerializer<>(registry, Map.of(), false), keys));
    }

    @Test
    void commandsReachTheRunAsFlagsGatesAndStatusChanges() throws Exception {
        String bootstrap = SharedStack.stack().bootstrapServers();
        String registryUrl = SharedStack.stack().registryUrl();
        ControlKeys keys = ControlKeys.loadOrCreate(spool.resolve("control.keys"));
        try (Tracker tracker = tracker(keys);
             var registry = CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", registryUrl));
             KafkaProducer<String, ControlCommand> commands = signedBy(keys, registry)) {
            Run run = tracker.experiment("control").run("r").start();
            Run other = tracker.experiment("control").run("other").start();
            List<ControlAction> seen = new CopyOnWriteArrayList<>();
            run.onControl(c -> seen.add(c.getAction()));
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!tracker.controlReady() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertTrue(tracker.controlReady());

            send(commands, run.id(), ControlAction.PAUSE, 500);
            assertTrue(waitFor(run::paused));
            send(commands, run.id(), ControlAction.RESUME, 501);
            assertTrue(run.awaitResume(Duration.ofSeconds(10)));

            CompletableFuture<Boolean> gate = CompletableFuture.supplyAsync(() -> {
                try {
                    return run.awaitApproval("promote to production?", Duration.ofSeconds(20));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(waitFor(() -> run.status() == RunStatus.AWAITING_APPROVAL));
            send(commands, run.id(), ControlAction.APPROVE, 502);
            assertTrue(gate.get());

            send(commands, run.id(), ControlAction.STOP, 503);
            assertTrue(waitFor(run::stopRequested));
            assertFalse(other.stopRequested(), "commands for another run are not applied");
            assertTrue(tracker.lamport().current() > 503, "Lamport clock observed the command");
            // a forged clock at the top of the range: the merge saturates instead of wrapping negative
            send(commands, other.id(), ControlAction.PAUSE, Long.MAX_VALUE);
            assertTrue(waitFor(other::paused));
            assertEquals(Long.MAX_VALUE, tracker.lamport().current());
            run.stop("STOP command");
            other.finish();
            assertEquals(List.of(ControlAction.PAUSE, ControlAction.RESUME, ControlAction.APPROVE, ControlAction.STOP), seen);
            assertTrue(tracker.flush(Duration.ofSeconds(30)));

            List<ConsumerRecord<String, RunEvent>> events = TopicReader.read(bootstrap, registryUrl, Topic.RUNS, Set.of(run.id()),
                    got -> got.stream().anyMatch(e -> e.value().getPayload() instanceof io.entrenar.events.RunFinished), Duration.ofSeconds(30));
            List<RunStatus> statuses = events.stream().map(e -> e.value().getPayload()).filter(p -> p instanceof RunStatusChanged)
                    .map(p -> ((RunStatusChanged) p).getStatus()).toList();
            assertEquals(List.of(RunStatus.RUNNING, RunStatus.PAUSED, RunStatus.RUNNING, RunStatus.AWAITING_APPROVAL, RunStatus.RUNNING),
                    statuses);
            assertTrue(events.stream().allMatch(e -> e.value().getLamport() > 0), "no event got a wrapped, negative clock");
        }
    }

    @Test
    void aDecisionSentTheMomentTheGateIsAnnouncedIsNotMissed() throws Exception {
        ControlKeys keys = ControlKeys.loadOrCreate(spool.resolve("control.keys"));
        try (Tracker tracker = tracker(keys);
             var registry = CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", SharedStack.stack().registryUrl()));
             KafkaProducer<String, ControlCommand> commands = signedBy(keys, registry)) {
            Run run = tracker.experiment("control").run("gated").start();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!tracker.controlReady() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            // The reply goes out (and is acknowledged) while the gate announces itself, before it waits.
            Run.Approval decision = run.awaitApprovalDecision("ship it?", Duration.ofSeconds(20), () -> {
                try {
                    send(commands, run.id(), command(run.id(), ControlAction.REJECT, Instant.now()));
                    Thread.sleep(300); // and has reached the tracker's listener by the time the gate waits
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(Run.Approval.REJECTED, decision);
            run.stop("rejected");
        }
    }

    @Test
    void unsignedForgedStaleMisaddressedAndReplayedCommandsAreIgnoredCountedAndDeadLettered() throws Exception {
        ControlKeys keys = ControlKeys.loadOrCreate(spool.resolve("control.keys"));
        ControlKeys attacker = ControlKeys.loadOrCreate(spool.resolve("attacker.keys"));
        try (Tracker tracker = tracker(keys);
             var registry = CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", SharedStack.stack().registryUrl()));
             KafkaProducer<String, ControlCommand> unsigned = new KafkaProducer<>(Map.of("bootstrap.servers",
                     SharedStack.stack().bootstrapServers()), new StringSerializer(), new AvroSerializer<>(registry, Map.of(), false));
             KafkaProducer<String, ControlCommand> forged = signedBy(attacker, registry);
             KafkaProducer<String, ControlCommand> ours = signedBy(keys, registry)) {
            Run run = tracker.experiment("control").run("guarded").start();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!tracker.controlReady() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            send(unsigned, run.id(), ControlAction.STOP, 1);
            send(forged, run.id(), ControlAction.STOP, 1);
            send(ours, run.id(), command(run.id(), ControlAction.STOP, Instant.now().minus(Duration.ofMinutes(10))));
            send(ours, run.id(), command("another-run", ControlAction.STOP, Instant.now()));
            ControlCommand pause = command(run.id(), ControlAction.PAUSE, Instant.now());
            send(ours, run.id(), pause);
            assertTrue(waitFor(run::paused), "a signed, fresh command is obeyed");
            send(ours, run.id(), command(run.id(), ControlAction.RESUME, Instant.now()));
            assertTrue(run.awaitResume(Duration.ofSeconds(10)));
            send(ours, run.id(), pause); // the same signed command again: a replay
            assertTrue(waitFor(() -> tracker.controlRefused() == 5), "refused: " + tracker.controlRefused());
            assertFalse(run.paused(), "the replayed PAUSE was not obeyed");
            assertFalse(run.stopRequested(), "no forged, unsigned, stale or misaddressed STOP was obeyed");

            List<String> reasons = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (reasons.size() < 5 && System.nanoTime() < deadline) {
                reasons.clear();
                for (ConsumerRecord<String, byte[]> r : readAll(Topic.DLQ.topicName())) {
                    if (run.id().equals(r.key()) && "tracker".equals(header(r, DeadLetter.APP))) {
                        assertEquals("CONTROL_REFUSED", header(r, DeadLetter.REASON));
                        reasons.add(header(r, DeadLetter.MESSAGE));
                    }
                }
            }
            assertEquals(5, reasons.size(), reasons.toString());
            assertEquals("unsigned", reasons.get(0));
            assertTrue(reasons.get(1).startsWith("signed with unknown key"), reasons.get(1)); // another file, another key id
            assertTrue(reasons.get(2).startsWith("stale"), reasons.get(2));
            assertTrue(reasons.get(3).startsWith("names run another-run"), reasons.get(3));
            assertTrue(reasons.get(4).startsWith("replayed command id"), reasons.get(4));
            run.finish();
        }
    }

    @Test
    void unsignedCommandsMayBeAllowedOnlyOnALoopbackStack() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.apache.kafka.common.config.ConfigException.class,
                () -> new TrackerConfig(Map.of(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka.example:9092",
                        TrackerConfig.CONTROL_UNSIGNED_ALLOWED_CONFIG, true)));
        assertTrue(e.getMessage().contains("kafka.example:9092 is not"), e.getMessage());
        new TrackerConfig(Map.of(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092", TrackerConfig.CONTROL_UNSIGNED_ALLOWED_CONFIG, true));
    }

    private static ControlCommand command(String runId, ControlAction action, Instant issued) {
        return ControlCommand.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId).setTsMicros(issued)
                .setLamport(1).setCommandId(UUID.randomUUID().toString()).setAction(action).setReason("test")
                .setIssuedBy("control-test").build();
    }

    private static void send(KafkaProducer<String, ControlCommand> p, String key, ControlCommand c) throws Exception {
        p.send(new ProducerRecord<>(Topic.CONTROL.topicName(), key, c)).get();
    }

    /** Every record of {@code topic} so far, raw. */
    private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(Map.of("bootstrap.servers",
                SharedStack.stack().bootstrapServers()), new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(parts);
            List<ConsumerRecord<String, byte[]>> all = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(all::add);
            }
            return all;
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void send(KafkaProducer<String, ControlCommand> p, String runId, ControlAction action, long lamport) throws Exception {
        p.send(new ProducerRecord<>(Topic.CONTROL.topicName(), runId, ControlCommand.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setRunId(runId).setTsMicros(Instant.now()).setLamport(lamport)
                .setCommandId(UUID.randomUUID().toString()).setAction(action).setReason("test").setIssuedBy("control-test")
                .build())).get();
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
