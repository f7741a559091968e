package io.entrenar.registry;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Confluent's compatibility rules on Avro's reader/writer resolution: BACKWARD means the new
 * schema reads data written with the old one, FORWARD the reverse, FULL both; the transitive
 * levels check every earlier version instead of only the newest.
 */
public final class AvroCompatibility {
    private AvroCompatibility() {
    }

    /**
     * @param candidate the schema to be registered
     * @param previous  live earlier versions, oldest first
     */
    public static CompatibilityResult check(CompatibilityLevel level, Schema candidate, List<Schema> previous) {
        if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
            return new CompatibilityResult(true, List.of());
        }
        List<Schema> against = switch (level) {
            case BACKWARD_TRANSITIVE, FORWARD_TRANSITIVE, FULL_TRANSITIVE -> previous;
            default -> List.of(previous.get(previous.size() - 1));
        };
        boolean backward = level != CompatibilityLevel.FORWARD && level != CompatibilityLevel.FORWARD_TRANSITIVE;
        boolean forward = level != CompatibilityLevel.BACKWARD && level != CompatibilityLevel.BACKWARD_TRANSITIVE;
        List<String> messages = new ArrayList<>();
        for (Schema old : against) {
            if (backward) {
                describe(messages, "new schema cannot read data written with an earlier one", candidate, old);
            }
            if (forward) {
                describe(messages, "an earlier schema cannot read data written with the new one", old, candidate);
            }
        }
        return new CompatibilityResult(messages.isEmpty(), List.copyOf(messages));
    }

    private static void describe(List<String> messages, String direction, Schema reader, Schema writer) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        for (Incompatibility i : result.getIncompatibilities()) {
            messages.add(direction + ": " + i.getType() + " at " + fieldPath(reader, i.getLocation()) + ": " + i.getMessage());
        }
    }

    /**
     * Turns Avro's location ({@code /fields/5/type/items}) into field names of the reader schema
     * ({@code sequence[]}), which is what a person fixing the schema looks for.
     */
    static String fieldPath(Schema reader, String location) {
        StringBuilder path = new StringBuilder();
        Schema current = reader;
        String[] tokens = location.split("/");
        for (int t = 0; t < tokens.length && current != null; t++) {
            String token = tokens[t];
            if (token.equals("fields") && t + 1 < tokens.length && current.getType() == Schema.Type.RECORD) {
                Schema.Field field = current.getFields().get(Integer.parseInt(tokens[++t]));
                path.append(path.length() == 0 ? "" : ".").append(field.name());
                current = field.schema();
            } else if (token.equals("items") && current.getType() == Schema.Type.ARRAY) {
                path.append("[]");
                current = current.getElementType();
            } else if (token.equals("values") && current.getType() == Schema.Type.MAP) {
                path.append("{}");
                current = current.getValueType();
            } else if (token.matches("\\d+") && current.getType() == Schema.Type.UNION) {
                current = current.getTypes().get(Integer.parseInt(token));
                path.append("<").append(current.getName()).append(">");
            }
        }
        String named = path.length() == 0 ? reader.getFullName() : reader.getFullName() + "." + path;
        return named + " (" + location + ")";
    }
}
