package io.entrenar.stack.registry;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.entrenar.registry.CompatibilityLevel;
import io.entrenar.registry.CompatibilityResult;
import io.entrenar.registry.RegistryErrorCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confluent's REST API v1 on top of {@link RegistryService}: matches method and path, reads
 * parameters and bodies, and shapes every answer (and error) as Confluent's registry does.
 */
final class RegistryRouter implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryRouter.class);

    private static final java.util.Set<String> JSON_TYPES = java.util.Set.of("application/vnd.schemaregistry.v1+json",
            "application/vnd.schemaregistry+json", "application/json", "application/octet-stream");

    private final RegistryService service;
    private final AtomicLong requests = new AtomicLong();

    RegistryRouter(RegistryService service) {
        this.service = service;
    }

    /** Requests handled so far; tests use it to prove that a client answered from its cache. */
    long requestCount() {
        return requests.get();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        Reply reply;
        try {
            reply = route(Request.of(exchange));
        } catch (ApiError e) {
            reply = Reply.error(e);
        } catch (RuntimeException e) {
            LOG.error("Failed: {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            reply = Reply.error(500, RegistryErrorCodes.STORE_ERROR, "Internal error: " + e);
        }
        try (exchange) {
            reply.send(exchange);
        } catch (IOException e) {
            LOG.debug("Could not answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
        }
    }

    private Reply route(Request r) {
        requireJsonBody(r);
        List<String> p = r.path();
        if (p.isEmpty()) {
            return only(r, "GET", () -> Reply.ok(Reply.JSON.createObjectNode()));
        }
        return switch (p.get(0)) {
            case "subjects" -> subjects(r, p);
            case "schemas" -> schemas(r, p);
            case "config" -> config(r, p);
            case "compatibility" -> compatibility(r, p);
            default -> throw ApiError.routeNotFound();
        };
    }

    private Reply subjects(Request r, List<String> p) {
        boolean deleted = r.flag("deleted");
        if (p.size() == 1) {
            return only(r, "GET", () -> Reply.ok(strings(service.subjects(deleted))));
        }
        String subject = p.get(1);
        if (p.size() == 2) {
            return switch (r.method()) {
                case "POST" -> Reply.ok(versionJson(service.lookup(subject, schemaText(r), deleted)));
                case "DELETE" -> Reply.ok(ints(service.deleteSubject(subject, r.flag("permanent"))));
                default -> throw ApiError.methodNotAllowed();
            };
        }
        if (!p.get(2).equals("versions") || p.size() > 5) {
            throw ApiError.routeNotFound();
        }
        if (p.size() == 3) {
            return switch (r.method()) {
                case "GET" -> Reply.ok(ints(service.versions(subject, deleted)));
                case "POST" -> Reply.ok(Reply.JSON.createObjectNode().put("id", service.register(subject, schemaText(r))));
                default -> throw ApiError.methodNotAllowed();
            };
        }
        return subjectVersion(r, subject, VersionRef.parse(p.get(3)), p.size() == 5 ? p.get(4) : null, deleted);
    }

    /** /subjects/{s}/versions/{v}[/{what}] */
    private Reply subjectVersion(Request r, String subject, VersionRef version, String what, boolean deleted) {
        if (what == null) {
            return switch (r.method()) {
                case "GET" -> Reply.ok(versionJson(service.version(subject, version, deleted)));
                case "DELETE" -> Reply.ok(Reply.JSON.getNodeFactory()
                        .numberNode(service.deleteVersion(subject, version, r.flag("permanent"))));
                default -> throw ApiError.methodNotAllowed();
            };
        }
        return switch (what) {
            case "schema" -> only(r, "GET", () -> Reply.rawJson(service.version(subject, version, deleted).schema().canonical()));
            // Schema references are not supported, so nothing refers to anything.
            case "referencedby" -> only(r, "GET", () -> {
                service.version(subject, version, deleted);
                return Reply.ok(Reply.JSON.createArrayNode());
            });
            default -> throw ApiError.routeNotFound();
        };
    }

    private Reply schemas(Request r, List<String> p) {
        if (p.size() == 2 && p.get(1).equals("types")) {
            return only(r, "GET", () -> Reply.ok(strings(List.of("AVRO"))));
        }
        if (p.size() < 3 || p.size() > 4 || !p.get(1).equals("ids")) {
            throw ApiError.routeNotFound();
        }
        int id = intSegment(p.get(2));
        if (p.size() == 3) {
            return only(r, "GET", () -> Reply.ok(Reply.JSON.createObjectNode()
                    .put("schema", service.schemaById(id).canonical())));
        }
        if (!p.get(3).equals("versions")) {
            throw ApiError.routeNotFound();
        }
        return only(r, "GET", () -> {
            ArrayNode versions = Reply.JSON.createArrayNode();
            for (SchemaVersion v : service.versionsUsing(id, r.flag("deleted"))) {
                versions.addObject().put("subject", v.subject()).put("version", v.version());
            }
            return Reply.ok(versions);
        });
    }

    private Reply config(Request r, List<String> p) {
        if (p.size() == 1) {
            return switch (r.method()) {
                case "GET" -> levelReply("compatibilityLevel", service.globalLevel());
                case "PUT" -> {
                    CompatibilityLevel level = level(r);
                    service.setGlobalLevel(level);
                    yield levelReply("compatibility", level);
                }
                case "DELETE" -> levelReply("compatibilityLevel", service.deleteGlobalLevel());
                default -> throw ApiError.methodNotAllowed();
            };
        }
        if (p.size() != 2) {
            throw ApiError.routeNotFound();
        }
        String subject = p.get(1);
        return switch (r.method()) {
            case "GET" -> levelReply("compatibilityLevel", service.subjectLevel(subject, r.flag("defaultToGlobal")));
            case "PUT" -> {
                CompatibilityLevel level = level(r);
                service.setSubjectLevel(subject, level);
                yield levelReply("compatibility", level);
            }
            case "DELETE" -> levelReply("compatibilityLevel", service.deleteSubjectLevel(subject));
            default -> throw ApiError.methodNotAllowed();
        };
    }

    private Reply compatibility(Request r, List<String> p) {
        if (p.size() < 4 || p.size() > 5 || !p.get(1).equals("subjects") || !p.get(3).equals("versions")) {
            throw ApiError.routeNotFound();
        }
        VersionRef version = p.size() == 5 ? VersionRef.parse(p.get(4)) : null;
        return only(r, "POST", () -> {
            CompatibilityResult result = service.testCompatibility(p.get(2), version, schemaText(r));
            ObjectNode body = Reply.JSON.createObjectNode().put("is_compatible", result.compatible());
            if (r.flag("verbose")) {
                ArrayNode messages = body.putArray("messages");
                result.messages().forEach(messages::add);
            }
            return Reply.ok(body);
        });
    }

    /**
     * A body must say it is JSON, as Confluent's registry requires (HTTP 415 otherwise): a web page
     * can only send a form or plain text across sites without asking first, so this also keeps
     * such requests from changing anything.
     */
    private static void requireJsonBody(Request r) {
        if (!r.method().equals("POST") && !r.method().equals("PUT")) {
            return;
        }
        String type = r.exchange().getRequestHeaders().getFirst("Content-Type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!JSON_TYPES.contains(mediaType)) {
            throw ApiError.unsupportedMediaType(type);
        }
    }

    /** The "schema" of a register, lookup or compatibility body; only Avro without references. */
    private static String schemaText(Request r) {
        JsonNode body = r.jsonObject(RegistryErrorCodes.INVALID_SCHEMA);
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw ApiError.invalidSchema("Invalid schema type " + type + ": only AVRO is supported");
        }
        JsonNode references = body.get("references");
        if (references != null && !references.isNull() && !references.isEmpty()) {
            throw ApiError.invalidSchema("Schema references are not supported");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || schema.isNull() || (schema.isTextual() && schema.asText().isBlank())) {
            throw ApiError.invalidSchema("Empty schema");
        }
        if (!schema.isTextual()) {
            throw ApiError.invalidSchema("The \"schema\" field must be a string holding the schema's JSON");
        }
        return schema.asText();
    }

    private static CompatibilityLevel level(Request r) {
        JsonNode level = r.jsonObject(RegistryErrorCodes.INVALID_COMPATIBILITY_LEVEL).get("compatibility");
        if (level == null || !level.isTextual()) {
            throw ApiError.invalidCompatibilityLevel();
        }
        try {
            return CompatibilityLevel.valueOf(level.asText().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidCompatibilityLevel();
        }
    }

    private static Reply levelReply(String field, CompatibilityLevel level) {
        return Reply.ok(Reply.JSON.createObjectNode().put(field, level.name()));
    }

    private static ObjectNode versionJson(SchemaVersion v) {
        return Reply.JSON.createObjectNode()
                .put("subject", v.subject())
                .put("version", v.version())
                .put("id", v.id())
                .put("schema", v.schema().canonical());
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = Reply.JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static ArrayNode ints(List<Integer> values) {
        ArrayNode array = Reply.JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    /** Jersey, under Confluent, answers a path parameter that is not an int with a plain 404. */
    private static int intSegment(String segment) {
        try {
            return Integer.parseInt(segment);
        } catch (NumberFormatException e) {
            throw ApiError.routeNotFound();
        }
    }

    private static Reply only(Request r, String method, Supplier<Reply> handler) {
        if (!r.method().equals(method)) {
            throw ApiError.methodNotAllowed();
        }
        return handler.get();
    }
}
