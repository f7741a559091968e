package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunStatus;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.stack.SharedStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code entrenar train --track}: a real training JVM streams its run into the broker. */
@ExtendWith(SharedStack.class)
class TrainTrackingTest {

    @Test
    void aTrackedTrainingJobEndsCompletedOnTheRunsTopic(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("tracked.yaml"), """
                name: cli-tracked
                model: {arch: logistic}
                data: {source: wine}
                training: {epochs: 2}
                seed: 3
                """);
        StringWriter out = new StringWriter();
        CommandLine cli = Entrenar.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("train", config.toString(), "--track",
                "--bootstrap-servers", SharedStack.stack().bootstrapServers(), "--registry-url", SharedStack.stack().registryUrl());
        assertEquals(0, code, out.toString());

        RunStatus status = null;
        String name = null;
        try (KafkaConsumer<String, RunEvent> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers()),
                new StringDeserializer(), new AvroDeserializer<>(SharedStack.registry(), Map.of("specific.avro.reader", true), false))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.RUNS.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String runId = null;
            while (status == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, RunEvent> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.value().getPayload() instanceof RunStarted s && "cli-tracked".equals(s.getRunName())) {
                        runId = r.key();
                        name = s.getRunName();
                    } else if (r.key().equals(runId) && r.value().getPayload() instanceof RunFinished f) {
                        status = f.getStatus();
                    }
                }
            }
        }
        assertEquals("cli-tracked", name);
        assertEquals(RunStatus.COMPLETED, status);
        assertTrue(out.toString().contains("cli-tracked"), out.toString());
    }
}
