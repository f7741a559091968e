package io.entrenar.stack.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

/** What the router needs of an HTTP request: method, decoded path segments, query, JSON body. */
record Request(String method, List<String> path, Map<String, String> query, HttpExchange exchange) {

    static Request of(HttpExchange exchange) {
        return new Request(exchange.getRequestMethod(), segments(exchange.getRequestURI().getRawPath()),
                query(exchange.getRequestURI().getRawQuery()), exchange);
    }

    boolean flag(String name) {
        return "true".equalsIgnoreCase(query.get(name));
    }

    /** The body as a JSON object; {@code wrongShapeCode} is the error code when it is not an object. */
    JsonNode jsonObject(int wrongShapeCode) {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = Reply.JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("Unparseable JSON body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("Cannot read the request body: " + e.getMessage());
        }
        if (body == null || !body.isObject()) {
            throw new ApiError(422, wrongShapeCode, "The request body must be a JSON object");
        }
        return body;
    }

    /**
     * Raw segments, each percent-decoded on its own so that %2F stays inside a subject name. Only
     * the leading and a trailing slash are dropped: an empty segment inside is an empty name.
     */
    private static List<String> segments(String rawPath) {
        List<String> raw = new ArrayList<>(List.of(rawPath.split("/", -1)));
        if (!raw.isEmpty() && raw.get(0).isEmpty()) {
            raw.remove(0);
        }
        if (!raw.isEmpty() && raw.get(raw.size() - 1).isEmpty()) {
            raw.remove(raw.size() - 1);
        }
        return raw.stream().map(Request::decode).toList();
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return query;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("Malformed percent-encoding in '" + s + "'");
        }
    }
}
