package io.entrenar.stack.registry;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrenar.registry.CompatibilityLevel;
import io.entrenar.stack.registry.LogRecord.ConfigRecord;
import io.entrenar.stack.registry.LogRecord.ConfigRemoved;
import io.entrenar.stack.registry.LogRecord.SchemaVersionRecord;
import io.entrenar.stack.registry.LogRecord.SchemaVersionRemoved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys and values of the {@code _schemas} topic in Confluent's JSON layout, so that the topic
 * can be read by Confluent's registry and ours can read one Confluent wrote (record kinds we do
 * not keep, such as modes and no-ops, are skipped).
 */
final class LogCodec {
    private static final Logger LOG = LoggerFactory.getLogger(LogCodec.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogCodec() {
    }

    /** Key and value bytes; the value is null for tombstones. */
    record Encoded(byte[] key, byte[] value) {
    }

    static Encoded encode(LogRecord record) {
        return switch (record) {
            case SchemaVersionRecord r -> new Encoded(schemaKey(r.subject(), r.version()), bytes(JSON.createObjectNode()
                    .put("subject", r.subject())
                    .put("version", r.version())
                    .put("id", r.id())
                    .put("schema", r.schema())
                    .put("deleted", r.deleted())));
            case SchemaVersionRemoved r -> new Encoded(schemaKey(r.subject(), r.version()), null);
            case ConfigRecord r -> new Encoded(configKey(r.subject()),
                    bytes(JSON.createObjectNode().put("compatibilityLevel", r.level().name())));
            case ConfigRemoved r -> new Encoded(configKey(r.subject()), null);
        };
    }

    /** The record, or null for kinds we do not keep and for records we cannot read. */
    static LogRecord decode(byte[] key, byte[] value) {
        try {
            JsonNode k = JSON.readTree(key);
            String subject = k.path("subject").isTextual() ? k.get("subject").asText() : null;
            switch (k.path("keytype").asText()) {
                case "SCHEMA" -> {
                    int version = k.path("version").asInt();
                    if (value == null) {
                        return new SchemaVersionRemoved(subject, version);
                    }
                    JsonNode v = JSON.readTree(value);
                    String type = v.path("schemaType").asText("AVRO");
                    if (!type.equals("AVRO")) {
                        LOG.warn("Skipping {} schema {} version {}: only AVRO is supported", type, subject, version);
                        return null;
                    }
                    return new SchemaVersionRecord(subject, version, v.path("id").asInt(), v.path("schema").asText(),
                            v.path("deleted").asBoolean(false));
                }
                case "CONFIG" -> {
                    if (value == null) {
                        return new ConfigRemoved(subject);
                    }
                    JsonNode level = JSON.readTree(value).get("compatibilityLevel");
                    if (level == null || level.isNull()) {
                        return null; // a config record that only sets other options (normalize, alias, ...)
                    }
                    return new ConfigRecord(subject, CompatibilityLevel.valueOf(level.asText().toUpperCase(Locale.ROOT)));
                }
                default -> {
                    return null;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Skipping an unreadable record of the schemas topic: {}", e.toString());
            return null;
        }
    }

    private static byte[] schemaKey(String subject, int version) {
        // Field order as Confluent writes it; compaction compares key bytes, so it must stay fixed.
        ObjectNode key = JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject)
                .put("version", version).put("magic", 1);
        return bytes(key);
    }

    private static byte[] configKey(String subject) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG");
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        return bytes(key.put("magic", 0));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
