package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.entrenar.control.ControlKeys;
import io.entrenar.events.ControlAction;
import io.entrenar.events.ControlCommand;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.serde.AvroSerdeConfig;
import io.entrenar.stack.SharedStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ExtendWith(SharedStack.class)
class RunsCommandTest {

    @TempDir
    static Path dir;

    @Test
    void eachControlVerbReachesTheRunsControlTopicSigned() {
        String run = "run-" + UUID.randomUUID();
        ControlKeys keys = ControlKeys.loadOrCreate(dir.resolve("control.keys"));
        for (String verb : List.of("pause", "resume", "approve", "stop")) {
            StringWriter out = new StringWriter();
            CommandLine cli = Entrenar.commandLine();
            cli.setOut(new PrintWriter(out));
            int code = cli.execute("runs", verb, run, "--reason", "drift on val_loss", "--by", "alice",
                    "--bootstrap-servers", SharedStack.stack().bootstrapServers(), "--registry-url", SharedStack.stack().registryUrl(),
                    "--control-keys", keys.file().toString());
            assertEquals(0, code);
            assertTrue(out.toString().startsWith(verb.toUpperCase() + " sent to run " + run + " (entrenar.control.v1 partition "), out.toString());
        }
        List<ControlCommand> received = commandsFor(run, keys);
        assertEquals(List.of(ControlAction.PAUSE, ControlAction.RESUME, ControlAction.APPROVE, ControlAction.STOP),
                received.stream().map(ControlCommand::getAction).toList(), "in order: one run, one partition");
        assertEquals("cli:alice", received.get(3).getIssuedBy());
        assertEquals("drift on val_loss", received.get(3).getReason());
        assertEquals(List.of(true, true, true, true), signed, "every command carries a valid signature");
    }

    @Test
    void withoutAKeyFileNothingIsSent() {
        StringWriter err = new StringWriter();
        CommandLine cli = Entrenar.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("runs", "stop", "run-x", "--bootstrap-servers", SharedStack.stack().bootstrapServers(),
                "--registry-url", SharedStack.stack().registryUrl(), "--control-keys", dir.resolve("missing.keys").toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("no control key file at " + dir.resolve("missing.keys")), err.toString());
    }

    private static final List<Boolean> signed = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static List<ControlCommand> commandsFor(String run, ControlKeys keys) {
        AvroDeserializer<ControlCommand> commands = new AvroDeserializer<>(SharedStack.registry(),
                Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers()),
                new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.CONTROL.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            java.util.ArrayList<ControlCommand> mine = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (mine.size() < 4 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (run.equals(r.key())) {
                        mine.add(commands.deserialize(r));
                        signed.add(keys.verify(r.topic(), r.value(), r.headers()) == null);
                    }
                }
            }
            return mine;
        }
    }
}
