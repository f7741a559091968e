package io.entrenar.registry;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

/**
 * {@link SchemaRegistryClient} over Confluent's REST API v1: works against Confluent, Karapace,
 * Redpanda, Apicurio's ccompat API and our embedded registry. Every call is one HTTP request;
 * wrap it in {@link CachedSchemaRegistryClient} on hot paths.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    private static final String LATEST = "latest";

    private final ObjectMapper json = new ObjectMapper();
    private final RegistryTransport transport;

    public RestSchemaRegistryClient(SchemaRegistryClientConfig config) {
        this.transport = new RegistryTransport(config.endpoints(), Duration.ofMillis(config.requestTimeoutMs()), json, config.sslContext());
    }

    /** A client for one or more comma-separated URLs with default settings. */
    public RestSchemaRegistryClient(String urls) {
        this(new SchemaRegistryClientConfig(Map.of(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, urls)));
    }

    @Override
    public int register(String subject, Schema schema) {
        String what = "register a schema under subject '" + subject + "'";
        JsonNode answer = transport.send("POST", subjectPath(subject) + "/versions", schemaBody(schema), what);
        return requiredInt(answer, "id", what);
    }

    @Override
    public Schema schemaById(int id) {
        String what = "fetch schema id " + id;
        JsonNode answer = transport.send("GET", "/schemas/ids/" + id, null, what);
        return parse(requiredText(answer, "schema", what), what);
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        String what = "look up a schema under subject '" + subject + "'";
        return registered(transport.send("POST", subjectPath(subject), schemaBody(schema), what), subject, what);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        String what = "fetch the latest version of subject '" + subject + "'";
        return registered(transport.send("GET", subjectPath(subject) + "/versions/" + LATEST, null, what), subject, what);
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        String what = "fetch version " + version + " of subject '" + subject + "'";
        return registered(transport.send("GET", subjectPath(subject) + "/versions/" + versionSegment(version), null, what),
                subject, what);
    }

    @Override
    public List<String> subjects() {
        JsonNode answer = transport.send("GET", "/subjects", null, "list subjects");
        List<String> subjects = new ArrayList<>();
        answer.forEach(s -> subjects.add(s.asText()));
        return List.copyOf(subjects);
    }

    @Override
    public List<Integer> versions(String subject) {
        return ints(transport.send("GET", subjectPath(subject) + "/versions", null,
                "list versions of subject '" + subject + "'"));
    }

    @Override
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        String what = (permanent ? "permanently " : "") + "delete subject '" + subject + "'";
        return ints(transport.send("DELETE", subjectPath(subject) + (permanent ? "?permanent=true" : ""), null, what));
    }

    @Override
    public int deleteVersion(String subject, int version, boolean permanent) {
        String what = (permanent ? "permanently " : "") + "delete version " + version + " of subject '" + subject + "'";
        JsonNode answer = transport.send("DELETE", subjectPath(subject) + "/versions/" + versionSegment(version)
                + (permanent ? "?permanent=true" : ""), null, what);
        if (!answer.canConvertToInt()) {
            throw unexpected(what, "a version number", answer);
        }
        return answer.asInt();
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, int version, Schema schema) {
        String what = "test compatibility against version " + (version == -1 ? LATEST : version)
                + " of subject '" + subject + "'";
        JsonNode answer = transport.send("POST", "/compatibility" + subjectPath(subject) + "/versions/"
                + versionSegment(version) + "?verbose=true", schemaBody(schema), what);
        JsonNode compatible = answer.get("is_compatible");
        if (compatible == null || !compatible.isBoolean()) {
            throw unexpected(what, "is_compatible", answer);
        }
        List<String> messages = new ArrayList<>();
        answer.path("messages").forEach(m -> messages.add(m.asText()));
        return new CompatibilityResult(compatible.asBoolean(), List.copyOf(messages));
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        String what = "fetch the global compatibility level";
        return level(transport.send("GET", "/config", null, what), what);
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        transport.send("PUT", "/config", levelBody(level), "set the global compatibility level to " + level);
    }

    @Override
    public CompatibilityLevel subjectCompatibility(String subject) {
        String what = "fetch the compatibility level of subject '" + subject + "'";
        return level(transport.send("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null, what), what);
    }

    @Override
    public void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        transport.send("PUT", "/config/" + encode(subject), levelBody(level),
                "set the compatibility level of subject '" + subject + "' to " + level);
    }

    @Override
    public void deleteSubjectCompatibility(String subject) {
        transport.send("DELETE", "/config/" + encode(subject), null,
                "delete the compatibility level of subject '" + subject + "'");
    }

    @Override
    public void close() {
        transport.close();
    }

    private static String subjectPath(String subject) {
        return "/subjects/" + encode(subject);
    }

    /** Subjects may hold '/', spaces or anything else; every one must stay one path segment. */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String versionSegment(int version) {
        if (version == -1) {
            return LATEST;
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, or -1 for the latest: " + version);
        }
        return Integer.toString(version);
    }

    private byte[] schemaBody(Schema schema) {
        // schemaType is left out: AVRO is the default everywhere, and old registries reject the field.
        ObjectNode body = json.createObjectNode().put("schema", schema.toString());
        return bytes(body);
    }

    private byte[] levelBody(CompatibilityLevel level) {
        return bytes(json.createObjectNode().put("compatibility", level.name()));
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static RegisteredSchema registered(JsonNode answer, String subject, String what) {
        String actualSubject = answer.path("subject").asText(subject);
        return new RegisteredSchema(actualSubject, requiredInt(answer, "version", what), requiredInt(answer, "id", what),
                parse(requiredText(answer, "schema", what), what));
    }

    private static CompatibilityLevel level(JsonNode answer, String what) {
        // GET answers compatibilityLevel; some registries (and PUT echoes) use compatibility.
        JsonNode level = answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
        if (level == null || !level.isTextual()) {
            throw unexpected(what, "compatibilityLevel", answer);
        }
        try {
            return CompatibilityLevel.valueOf(level.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw unexpected(what, "a known compatibility level", answer);
        }
    }

    private static List<Integer> ints(JsonNode answer) {
        List<Integer> values = new ArrayList<>();
        answer.forEach(v -> values.add(v.asInt()));
        return List.copyOf(values);
    }

    private static int requiredInt(JsonNode answer, String field, String what) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw unexpected(what, field, answer);
        }
        return value.asInt();
    }

    private static String requiredText(JsonNode answer, String field, String what) {
        JsonNode value = answer.get(field);
        if (value == null || !value.isTextual()) {
            throw unexpected(what, field, answer);
        }
        return value.asText();
    }

    private static Schema parse(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) { // Avro reports some invalid schemas with a NullPointerException
            throw new InvalidSchemaException(what + ": the registry returned a schema Avro cannot parse: " + e,
                    200, RegistryErrorCodes.INVALID_SCHEMA);
        }
    }

    private static SchemaRegistryException unexpected(String what, String expected, JsonNode answer) {
        String body = answer.toString();
        return new SchemaRegistryException(what + ": expected " + expected + " in the registry's answer, got "
                + (body.length() > 300 ? body.substring(0, 300) + "..." : body), 200, SchemaRegistryException.NO_RESPONSE);
    }
}
