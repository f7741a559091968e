package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import picocli.CommandLine;

@ExtendWith(SharedStack.class)
class RunsCommandTest {

    @Test
    void eachControlVerbReachesTheRunsControlTopic() {
        String run = "run-" + UUID.randomUUID();
        for (String verb : List.of("pause", "resume", "approve", "stop")) {
            StringWriter out = new StringWriter();
            CommandLine cli = Entrenar.commandLine();
            cli.setOut(new PrintWriter(out));
            int code = cli.execute("runs", verb, run, "--reason", "drift on val_loss", "--by", "alice",
                    "--bootstrap-servers", SharedStack.stack().bootstrapServers(), "--registry-url", SharedStack.stack().registryUrl());
            assertEquals(0, code);
            assertTrue(out.toString().startsWith(verb.toUpperCase() + " sent to run " + run + " (entrenar.control.v1 partition "), out.toString());
        }
        List<ControlCommand> received = commandsFor(run);
        assertEquals(List.of(ControlAction.PAUSE, ControlAction.RESUME, ControlAction.APPROVE, ControlAction.STOP),
                received.stream().map(ControlCommand::getAction).toList(), "in order: one run, one partition");
        assertEquals("cli:alice", received.get(3).getIssuedBy());
        assertEquals("drift on val_loss", received.get(3).getReason());
    }

    private static List<ControlCommand> commandsFor(String run) {
        try (KafkaConsumer<String, ControlCommand> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers()),
                new StringDeserializer(), new AvroDeserializer<>(SharedStack.registry(), Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.CONTROL.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            java.util.ArrayList<ControlCommand> mine = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (mine.size() < 4 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, ControlCommand> r : consumer.poll(Duration.ofMillis(100))) {
                    if (run.equals(r.key())) {
                        mine.add(r.value());
                    }
                }
            }
            return mine;
        }
    }
}
