package io.entrenar.mlflow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The fields of one MLflow request, from its JSON body (POST) or its query string (GET), read with
 * MLflow's quirks: int64 fields arrive as numbers or as strings (older clients), doubles as numbers
 * or as "NaN", "Infinity", "-Infinity". A missing or malformed field fails with
 * INVALID_PARAMETER_VALUE naming it.
 */
final class Params {
    private final JsonNode body;
    private final Function<String, List<String>> query;

    private Params(JsonNode body, Function<String, List<String>> query) {
        this.body = body;
        this.query = query;
    }

    static Params ofJson(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return new Params(NullNode.getInstance(), name -> List.of());
        }
        if (!body.isObject()) {
            throw MlflowException.badRequest("the request body must be a JSON object");
        }
        return new Params(body, name -> List.of());
    }

    static Params ofQuery(Function<String, List<String>> query) {
        return new Params(NullNode.getInstance(), query);
    }

    /** A node of the JSON body (for nested lists such as log-batch's metrics), or null. */
    JsonNode node(String name) {
        JsonNode n = body.get(name);
        return n == null || n.isNull() ? null : n;
    }

    String string(String name) {
        JsonNode n = node(name);
        if (n != null) {
            if (!n.isValueNode()) {
                throw MlflowException.invalid("Invalid value " + n + " for parameter '" + name + "' supplied: a string is expected");
            }
            return n.asText();
        }
        List<String> q = query.apply(name);
        return q.isEmpty() ? null : q.get(0);
    }

    String requiredString(String name) {
        String s = string(name);
        if (s == null || s.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter '" + name + "'. See the API docs for more "
                    + "information about request parameters.");
        }
        return s;
    }

    /** {@code run_id}, or the older {@code run_uuid} that clients send beside it. */
    String runId() {
        String id = string("run_id");
        if (id == null || id.isEmpty()) {
            id = string("run_uuid");
        }
        if (id == null || id.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'run_id'. See the API docs for more "
                    + "information about request parameters.");
        }
        return id;
    }

    Long longValue(String name) {
        JsonNode n = node(name);
        String text;
        if (n != null) {
            if (n.isIntegralNumber() && n.canConvertToLong()) {
                return n.asLong();
            }
            text = n.isTextual() ? n.asText() : n.toString();
        } else {
            List<String> q = query.apply(name);
            if (q.isEmpty()) {
                return null;
            }
            text = q.get(0);
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw MlflowException.invalid("Invalid value " + text + " for parameter '" + name + "' supplied: an int64 is expected");
        }
    }

    long requiredLong(String name) {
        Long v = longValue(name);
        if (v == null) {
            throw MlflowException.invalid("Missing value for required parameter '" + name + "'. See the API docs for more "
                    + "information about request parameters.");
        }
        return v;
    }

    Double doubleValue(String name) {
        JsonNode n = node(name);
        if (n == null) {
            List<String> q = query.apply(name);
            return q.isEmpty() ? null : parseDouble(name, q.get(0));
        }
        return parseDouble(name, n);
    }

    static double parseDouble(String name, JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            return parseDouble(name, n.asText());
        }
        throw MlflowException.invalid("Invalid value " + n + " for parameter '" + name + "' supplied: a double is expected");
    }

    static double parseDouble(String name, String text) {
        switch (text.strip()) {
            case "NaN", "nan" -> {
                return Double.NaN;
            }
            case "Infinity", "inf", "+Infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-Infinity", "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                try {
                    return Double.parseDouble(text.strip());
                } catch (NumberFormatException e) {
                    throw MlflowException.invalid("Invalid value " + text + " for parameter '" + name + "' supplied: a double is expected");
                }
            }
        }
    }

    /** A list of strings: a JSON array, or a repeated query parameter. */
    List<String> strings(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return query.apply(name);
        }
        if (!n.isArray()) {
            throw MlflowException.invalid("Invalid value " + n + " for parameter '" + name + "' supplied: a list is expected");
        }
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    /** A list of objects, e.g. log-batch's {@code metrics}; empty when absent. */
    List<JsonNode> objects(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw MlflowException.invalid("Invalid value " + n + " for parameter '" + name + "' supplied: a list is expected");
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isObject()) {
                throw MlflowException.invalid("Invalid value " + e + " in parameter '" + name + "': an object is expected");
            }
            out.add(e);
        }
        return out;
    }
}
