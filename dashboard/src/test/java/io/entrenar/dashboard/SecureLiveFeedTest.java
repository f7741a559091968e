package io.entrenar.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.entrenar.control.ControlKeys;
import io.entrenar.events.MetricBatch;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.stack.Await;
import io.entrenar.stack.SaslStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's Kafka clients against a broker listener that requires SASL/PLAIN, configured with
 * the dashboard's own security keys: with the credentials the live feed finds the topics and receives
 * what a run sends, and the run page's buttons send commands; with a wrong password, or none, the
 * feed never gets a point and a command is refused.
 */
class SecureLiveFeedTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final SaslStack stack = SaslStack.http();

    /** The dashboard's settings for the SASL listener: {@code kafka} as a user writes them. */
    private static DashboardConfig config(Map<String, Object> kafka, boolean control) {
        Map<String, Object> m = new HashMap<>(kafka);
        m.put(DashboardConfig.CONTROL_ENABLED_CONFIG, control);
        m.put(DashboardConfig.CONTROL_KEYS_FILE_CONFIG, dir.resolve("control.keys").toString());
        return new DashboardConfig(m);
    }

    @Test
    void withTheCredentialsTheLiveFeedReceivesWhatARunSends() throws Exception {
        try (LiveFeed feed = LiveFeed.start(config(stack.secured(stack.secret()), false))) {
            assertTrue(Await.until(() -> feed.check() == null, Duration.ofSeconds(60)), "found the topics' ends over SASL: " + feed.check());
            String run = "secure-live-" + UUID.randomUUID();
            send(run);
            assertTrue(Await.until(() -> feed.points() >= 2, Duration.ofSeconds(30)), "points: " + feed.points());
            assertEquals(0, feed.badRecords());
        }
    }

    @Test
    void withoutCredentialsOrWithAWrongPasswordTheLiveFeedGetsNoData() throws Exception {
        Map<String, Object> none = new HashMap<>(stack.secured(stack.secret()));
        none.keySet().removeIf(k -> k.startsWith("sasl.") || k.equals("security.protocol"));
        try (LiveFeed plaintext = LiveFeed.start(config(none, false));
             LiveFeed wrong = LiveFeed.start(config(stack.secured("wrong-password"), false))) {
            send("insecure-live-" + UUID.randomUUID());
            // longer than the feed's 10 s partition lookup: the first attempt has given up
            Thread.sleep(12_000);
            assertEquals(0, plaintext.points() + wrong.points());
            assertNotNull(plaintext.check(), "PLAINTEXT against the SASL listener never finds the topics");
            assertTrue(wrong.check() != null && wrong.check().contains("Authentication"), "a wrong password is refused: " + wrong.check());
        }
    }

    @Test
    void theRunPagesButtonsSendCommandsWithTheCredentialsOnly() {
        ControlKeys.loadOrCreate(dir.resolve("control.keys"));
        byte[] pause = "{\"action\":\"pause\",\"reason\":\"secure test\"}".getBytes(StandardCharsets.UTF_8);
        try (RunCommands commands = RunCommands.start(config(stack.secured(stack.secret()), true))) {
            String sent = new String(commands.send("secure-run", pause, "test"), StandardCharsets.UTF_8);
            assertTrue(sent.contains("\"topic\":\"" + Topic.CONTROL.topicName() + "\"") && sent.contains("\"offset\":"), sent);
        }
        try (RunCommands commands = RunCommands.start(config(stack.secured("wrong-password"), true))) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> commands.send("secure-run", pause, "test"));
            assertTrue(String.valueOf(e.getMessage()).contains("Authentication failed"), e.toString());
        }
    }

    /** Two points of {@code run} on the metrics topic, sent with the right credentials. */
    private static void send(String run) throws Exception {
        AvroSerializer<MetricBatch> values = new AvroSerializer<>();
        values.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
        long now = Instant.now().toEpochMilli() * 1000;
        MetricBatch batch = MetricBatch.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(run).setTsMicros(Instant.now())
                .setLamport(1).setProducerId("test").setSequence(0).setNames(List.of("loss")).setNameIds(List.of(0, 0))
                .setSteps(List.of(1L, 2L)).setValues(List.of(0.5, 0.4)).setTimestampsMicros(List.of(now, now + 1)).build();
        try (KafkaProducer<String, MetricBatch> producer = stack.clients("test").producer("metrics", Map.of("acks", "all"),
                new StringSerializer(), values)) {
            producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), run, batch)).get();
        }
    }
}
