package io.entrenar.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrenar.control.ControlKeys;
import io.entrenar.control.ControlPublisher;
import io.entrenar.events.ControlAction;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The run page's buttons: {@code POST /api/runs/RUN/control} with {@code {"action":"pause","reason":"…"}}
 * becomes a command on {@code entrenar.control.v1}, signed with the control keys as the CLI's
 * {@code entrenar runs pause} signs it. Without a key file the dashboard says so instead of sending
 * an unsigned command that every run would refuse.
 */
final class RunCommands implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASON = 500;

    private final SchemaRegistryClient registry;
    private final ControlPublisher publisher;
    private final String unavailable;

    private RunCommands(SchemaRegistryClient registry, ControlPublisher publisher, String unavailable) {
        this.registry = registry;
        this.publisher = publisher;
        this.unavailable = unavailable;
    }

    /** Off: every command is answered with {@code why}. */
    static RunCommands off(String why) {
        return new RunCommands(null, null, why);
    }

    static RunCommands start(DashboardConfig config) {
        Path keysFile = ControlKeys.resolve(config.getString(DashboardConfig.CONTROL_KEYS_FILE_CONFIG), System.getenv());
        if (!Files.exists(keysFile)) {
            // Only a stack creates keys: a dashboard that made its own would sign what no run can verify.
            return off("no control key file at " + keysFile + " (set " + DashboardConfig.CONTROL_KEYS_FILE_CONFIG
                    + " to the stack's <data dir>/control.keys)");
        }
        ControlKeys keys = ControlKeys.load(keysFile);
        SchemaRegistryClient registry = CachedSchemaRegistryClient.fromConfigs(config.registryClientConfigs());
        Map<String, Object> producer = Map.of("acks", "all", "enable.idempotence", true, "linger.ms", 0,
                "delivery.timeout.ms", 10_000, "request.timeout.ms", 5_000, "max.block.ms", 10_000);
        try {
            // The dashboard's servers and security settings, as for the live feed.
            return new RunCommands(registry, new ControlPublisher(config.kafkaClients(), producer, registry, keys), null);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /** Sends what {@code body} asks for; the answer names the command and where it landed. */
    byte[] send(String runId, byte[] body, String issuedBy) {
        if (publisher == null) {
            throw new Unavailable("control commands are off: " + unavailable);
        }
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (request == null || !request.isObject() || !request.path("action").isTextual()) {
            throw new IllegalArgumentException("send {\"action\": \"stop|pause|resume|approve|reject\", \"reason\": \"...\"}");
        }
        ControlAction action;
        try {
            action = ControlAction.valueOf(request.get("action").asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown action '" + request.get("action").asText()
                    + "': one of stop, pause, resume, approve, reject");
        }
        String reason = request.path("reason").isTextual() && !request.get("reason").asText().isBlank()
                ? request.get("reason").asText().strip() : null;
        if (reason != null && reason.length() > MAX_REASON) {
            throw new IllegalArgumentException("reason is " + reason.length() + " characters; at most " + MAX_REASON);
        }
        RecordMetadata sent = publisher.publish(runId, action, reason, issuedBy, null);
        return ("{\"run_id\":" + Json.quote(runId) + ",\"action\":\"" + action + "\",\"topic\":" + Json.quote(sent.topic())
                + ",\"partition\":" + sent.partition() + ",\"offset\":" + sent.offset() + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** No key file (or control.enabled=false): 503 with the reason. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        if (publisher != null) {
            publisher.close();
            registry.close();
        }
    }
}
