package io.entrenar.stack.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/** An HTTP answer with a JSON body, and how to send it. */
record Reply(int status, byte[] body) {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String V1_JSON = "application/vnd.schemaregistry.v1+json";

    static Reply ok(JsonNode body) {
        return json(200, body);
    }

    /** A body that already is JSON text, such as a raw schema. */
    static Reply rawJson(String body) {
        return new Reply(200, body.getBytes(StandardCharsets.UTF_8));
    }

    static Reply error(int status, int errorCode, String message) {
        ObjectNode body = JSON.createObjectNode().put("error_code", errorCode).put("message", message);
        return json(status, body);
    }

    static Reply error(ApiError e) {
        return error(e.httpStatus(), e.errorCode(), e.getMessage());
    }

    private static Reply json(int status, JsonNode body) {
        try {
            return new Reply(status, JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    void send(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType(exchange.getRequestHeaders().getFirst("Accept")));
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Confluent's content negotiation, reduced: its own type unless the client only takes plain JSON. */
    private static String contentType(String accept) {
        if (accept == null || accept.contains("vnd.schemaregistry") || accept.contains("*/*")
                || !accept.contains("application/json")) {
            return V1_JSON;
        }
        return "application/json";
    }
}
