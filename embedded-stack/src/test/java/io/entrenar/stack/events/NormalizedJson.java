package io.entrenar.stack.events;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * The language-neutral JSON form that the Python and Node peers print for a decoded value
 * (interop/README.md): unions unwrapped, enums as symbols, timestamp-micros as integer micros,
 * non-finite numbers as the strings "NaN", "Infinity", "-Infinity".
 */
public final class NormalizedJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private NormalizedJson() {
    }

    public static JsonNode of(Object datum, Schema schema) {
        switch (schema.getType()) {
            case RECORD -> {
                ObjectNode node = NODES.objectNode();
                IndexedRecord record = (IndexedRecord) datum;
                for (Schema.Field f : schema.getFields()) {
                    node.set(f.name(), of(record.get(f.pos()), f.schema()));
                }
                return node;
            }
            case UNION -> {
                int branch = GenericData.get().resolveUnion(schema, datum);
                return of(datum, schema.getTypes().get(branch));
            }
            case ARRAY -> {
                ArrayNode node = NODES.arrayNode();
                for (Object item : (Iterable<?>) datum) {
                    node.add(of(item, schema.getElementType()));
                }
                return node;
            }
            case MAP -> {
                ObjectNode node = NODES.objectNode();
                new TreeMap<>((Map<?, ?>) datum).forEach((k, v) -> node.set(k.toString(), of(v, schema.getValueType())));
                return node;
            }
            case LONG -> {
                if (LogicalTypes.timestampMicros().equals(schema.getLogicalType()) && datum instanceof java.time.Instant i) {
                    return NODES.numberNode(i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000);
                }
                return NODES.numberNode(((Number) datum).longValue());
            }
            case INT -> {
                return NODES.numberNode(((Number) datum).intValue());
            }
            case FLOAT, DOUBLE -> {
                double d = ((Number) datum).doubleValue();
                if (Double.isNaN(d)) {
                    return NODES.textNode("NaN");
                }
                if (Double.isInfinite(d)) {
                    return NODES.textNode(d > 0 ? "Infinity" : "-Infinity");
                }
                return NODES.numberNode(d);
            }
            case BOOLEAN -> {
                return NODES.booleanNode((Boolean) datum);
            }
            case NULL -> {
                return NODES.nullNode();
            }
            case STRING, ENUM -> {
                return NODES.textNode(datum.toString());
            }
            default -> throw new IllegalArgumentException("not used by the contract: " + schema.getType());
        }
    }
}
