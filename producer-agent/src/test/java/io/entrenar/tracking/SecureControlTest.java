package io.entrenar.tracking;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.entrenar.control.ControlKeys;
import io.entrenar.control.ControlPublisher;
import io.entrenar.events.ControlAction;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.stack.Await;
import io.entrenar.stack.SaslStack;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracker's control listener against a broker listener that requires SASL/PLAIN: the tracker's
 * security settings ({@code producer.security.protocol}, {@code producer.sasl.*}) reach the listener's
 * consumer, so a signed command is obeyed; without them, or with a wrong password, the listener never
 * reads the control topic.
 */
class SecureControlTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final SaslStack stack = SaslStack.http();

    /** The key file that signs the test's commands and that the trackers verify them with. */
    private static ControlKeys keys() {
        return ControlKeys.loadOrCreate(dir.resolve("control.keys"));
    }

    /** A tracker's settings for the SASL listener, its Kafka security given as the producer's ({@code null}: none). */
    private static Map<String, Object> settings(String password, String spool) {
        Map<String, Object> m = new HashMap<>();
        m.put(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.saslBootstrapServers());
        m.put(TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        m.put(TrackerConfig.SPOOL_DIR_CONFIG, dir.resolve(spool).toString());
        m.put(TrackerConfig.CONTROL_KEYS_FILE_CONFIG, keys().file().toString());
        if (password != null) {
            SaslStack.sasl(password).forEach((key, value) -> m.put(TrackerConfig.PRODUCER_PREFIX + key, value));
        }
        return m;
    }

    @Test
    void withTheTrackersCredentialsASignedCommandReachesTheRun() throws Exception {
        try (Tracker tracker = Tracker.start(settings(stack.secret(), "spool-ok"));
             SchemaRegistryClient registry = CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", stack.registryUrl()));
             ControlPublisher control = new ControlPublisher(stack.clients("test"), Map.of("acks", "all"), registry, keys())) {
            Run run = tracker.experiment("secure-control").run("r").start();
            assertTrue(Await.until(tracker::controlReady, Duration.ofSeconds(30)), "the listener reads the control topic over SASL");
            control.publish(run.id(), ControlAction.PAUSE, "secure test", "test", null);
            assertTrue(Await.until(run::paused, Duration.ofSeconds(20)), "the signed PAUSE reached the run");
            run.stop("done");
            assertTrue(tracker.flush(Duration.ofSeconds(30)), "the tracker's producer sends over SASL too");
        }
    }

    @Test
    void withoutCredentialsOrWithAWrongPasswordTheListenerNeverReadsTheTopic() throws Exception {
        try (SchemaRegistryClient registry = CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", stack.registryUrl()));
             ControlListener none = listener(settings(null, "spool-none"), registry);
             ControlListener wrong = listener(settings("wrong-password", "spool-wrong"), registry)) {
            assertFalse(Await.until(() -> none.ready() || wrong.ready(), Duration.ofSeconds(8)),
                    "neither PLAINTEXT nor a wrong password gets the control topic's partitions");
        }
    }

    @Test
    void aSaslProtocolWithoutALoginFailsAtConfigurationNamingTheProducerKeys() {
        Map<String, Object> m = settings(stack.secret(), "spool-bad");
        m.remove(TrackerConfig.PRODUCER_PREFIX + "sasl.jaas.config");
        ConfigException e = assertThrows(ConfigException.class, () -> new TrackerConfig(m));
        assertTrue(e.getMessage().contains("sasl.jaas.config") && e.getMessage().contains("producer.sasl.*"), e.getMessage());
    }

    private static ControlListener listener(Map<String, Object> settings, SchemaRegistryClient registry) {
        return new ControlListener(new TrackerConfig(settings), registry, new LamportClock(),
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()));
    }
}
