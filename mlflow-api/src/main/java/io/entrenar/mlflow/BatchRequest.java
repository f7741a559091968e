package io.entrenar.mlflow;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A log-batch request read with Jackson's streaming parser: {@code run_id} (or {@code run_uuid}),
 * {@code metrics} into {@link MetricPoints}, {@code params} and {@code tags} into maps, with
 * MLflow's quirks (int64 as strings, "NaN" and infinities as strings) and MLflow's limits checked
 * as the array is read. A thousand metrics cost no node each: this is the API's hot path.
 */
final class BatchRequest {
    String runId;
    final MetricPoints metrics = new MetricPoints();
    final Map<String, String> params = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();
    int paramCount;
    int tagCount;

    /** Metric names seen in this request: a key is validated once however many points carry it. */
    private final Map<String, String> keys = new HashMap<>();
    /** Metrics past MLflow's limit: counted, not kept, so that the refusal says how many there were. */
    private int overflow;

    static BatchRequest read(byte[] body) throws IOException {
        BatchRequest r = new BatchRequest();
        if (body.length == 0) {
            throw MlflowException.invalid("Missing value for required parameter 'run_id'");
        }
        try (JsonParser p = MlflowJson.MAPPER.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw MlflowException.badRequest("the request body must be a JSON object");
            }
            String runUuid = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "run_id" -> r.runId = t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "run_uuid" -> runUuid = t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "metrics" -> r.readMetrics(p, t);
                    case "params" -> r.paramCount = readKeyValues(p, t, "params", "param", TrackingEndpoints.MAX_PARAM_VALUE, r.params, true);
                    case "tags" -> r.tagCount = readKeyValues(p, t, "tags", "tag", TrackingEndpoints.MAX_TAG_VALUE, r.tags, false);
                    default -> p.skipChildren();
                }
            }
            if (r.runId == null || r.runId.isEmpty()) {
                r.runId = runUuid;
            }
        } catch (JsonParseException e) {
            throw MlflowException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (r.runId == null || r.runId.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'run_id'. See the API docs for more "
                    + "information about request parameters.");
        }
        int metrics = r.metrics.size() + r.overflow;
        if (metrics > TrackingEndpoints.MAX_BATCH_METRICS || r.paramCount > TrackingEndpoints.MAX_BATCH_PARAMS
                || r.tagCount > TrackingEndpoints.MAX_BATCH_TAGS
                || metrics + r.paramCount + r.tagCount > TrackingEndpoints.MAX_BATCH_TOTAL) {
            throw MlflowException.invalid("A batch logging request can contain at most " + TrackingEndpoints.MAX_BATCH_METRICS
                    + " metrics, " + TrackingEndpoints.MAX_BATCH_PARAMS + " params and " + TrackingEndpoints.MAX_BATCH_TAGS + " tags, "
                    + TrackingEndpoints.MAX_BATCH_TOTAL + " in all. Got " + metrics + " metrics, " + r.paramCount + " params and "
                    + r.tagCount + " tags.");
        }
        return r;
    }

    private void readMetrics(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_ARRAY) {
            throw MlflowException.invalid("Invalid value for parameter 'metrics' supplied: a list is expected");
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw MlflowException.invalid("Invalid value in parameter 'metrics': an object is expected");
            }
            if (metrics.size() >= TrackingEndpoints.MAX_BATCH_METRICS) {
                p.skipChildren();
                overflow++;
                continue;
            }
            String key = null;
            Double value = null;
            Long timestamp = null;
            long step = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "key" -> key = v == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "value" -> value = v == JsonToken.VALUE_NULL ? null : number(p, v, "value");
                    case "timestamp" -> timestamp = v == JsonToken.VALUE_NULL ? null : integer(p, v, "timestamp");
                    case "step" -> step = v == JsonToken.VALUE_NULL ? 0 : integer(p, v, "step");
                    default -> p.skipChildren();
                }
            }
            if (key == null || key.isEmpty()) {
                throw MlflowException.invalid("Missing value for required parameter 'metrics[].key'");
            }
            if (value == null) {
                throw MlflowException.invalid("Missing value for required parameter 'metrics[].value' of metric '" + key + "'");
            }
            if (timestamp == null) {
                throw MlflowException.invalid("Missing value for required parameter 'metrics[].timestamp' of metric '" + key + "'");
            }
            String known = keys.get(key);
            if (known == null) {
                known = TrackingEndpoints.key(key, "metric");
                keys.put(known, known);
            }
            metrics.add(known, value, timestamp, step);
        }
    }

    private static double number(JsonParser p, JsonToken v, String field) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            return Params.parseDouble(field, p.getText());
        }
        throw MlflowException.invalid("Invalid value " + p.getText() + " for parameter '" + field + "' supplied: a double is expected");
    }

    private static long integer(JsonParser p, JsonToken v, String field) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getText().strip());
            } catch (NumberFormatException e) {
                // answered below
            }
        }
        throw MlflowException.invalid("Invalid value " + p.getText() + " for parameter '" + field + "' supplied: an int64 is expected");
    }

    /** Reads [{key, value}, ...]; returns how many entries there were. Duplicate params must agree. */
    private static int readKeyValues(JsonParser p, JsonToken t, String field, String what, int maxValue, Map<String, String> out,
                                     boolean sameValueOnly) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return 0;
        }
        if (t != JsonToken.START_ARRAY) {
            throw MlflowException.invalid("Invalid value for parameter '" + field + "' supplied: a list is expected");
        }
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw MlflowException.invalid("Invalid value in parameter '" + field + "': an object is expected");
            }
            String key = null;
            String value = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "key" -> key = v == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "value" -> value = v == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    default -> p.skipChildren();
                }
            }
            n++;
            if (key == null || key.isEmpty()) {
                throw MlflowException.invalid("Missing value for required parameter '" + field + "[].key'");
            }
            key = TrackingEndpoints.key(key, what);
            value = TrackingEndpoints.value(value, what + " '" + key + "'", maxValue);
            String before = out.put(key, value);
            if (sameValueOnly && before != null && !before.equals(value)) {
                throw MlflowException.invalid("Duplicate parameter keys have been submitted: '" + key + "' with values '" + before
                        + "' and '" + value + "'");
            }
        }
        return n;
    }
}
