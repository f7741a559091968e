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

import io.entrenar.events.ControlAction;
import io.entrenar.events.ControlCommand;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunStatus;
import io.entrenar.events.RunStatusChanged;
import io.entrenar.registry.CachedSchemaRegistryClient;
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

    @Test
    void commandsReachTheRunAsFlagsGatesAndStatusChanges() throws Exception {
        String bootstrap = SharedStack.stack().bootstrapServers();
        String registryUrl = SharedStack.stack().registryUrl();
        try (Tracker tracker = Tracker.start(Map.of(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl, TrackerConfig.SPOOL_DIR_CONFIG, spool.toString()));
             var registry = CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", registryUrl));
             KafkaProducer<String, ControlCommand> commands = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                     new StringSerializer(), new AvroSerializer<>(registry, Map.of(), false))) {
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
