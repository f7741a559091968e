package io.entrenar.stack.events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Deterministic random records for a schema, filling every field. Union branches rotate so that a
 * series of records exercises each branch (including every payload of a RunEvent); nesting stops
 * at a depth limit so recursive types (Device in ClusterInfo) end.
 */
public final class RandomEvents {
    private static final int MAX_DEPTH = 6;
    private static final String[] WORDS = {"loss", "accuracy", "lr", "grad_norm", "ünïcode-✓", "q_proj", "run-42", ""};
    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, 1e-300, -7.25};

    private final Random random;
    private int rotation;

    public RandomEvents(long seed) {
        this.random = new Random(seed);
    }

    /** The {@code n}-th record of a series: {@code n} selects union branches, so n = 0..k covers k+1 branches. */
    public GenericRecord next(Schema schema, int n) {
        rotation = n;
        return (GenericRecord) value(schema, 0);
    }

    private Object value(Schema schema, int depth) {
        return switch (schema.getType()) {
            case RECORD -> record(schema, depth);
            case UNION -> union(schema, depth);
            case ARRAY -> {
                int size = depth >= MAX_DEPTH ? 0 : 1 + random.nextInt(4);
                List<Object> items = new GenericData.Array<>(size, schema);
                for (int i = 0; i < size; i++) {
                    items.add(value(schema.getElementType(), depth + 1));
                }
                yield items;
            }
            case MAP -> {
                Map<String, Object> map = new HashMap<>();
                int size = depth >= MAX_DEPTH ? 0 : random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    map.put(WORDS[random.nextInt(WORDS.length)] + i, value(schema.getValueType(), depth + 1));
                }
                yield map;
            }
            case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())));
            case STRING -> WORDS[random.nextInt(WORDS.length)] + random.nextInt(1000);
            case INT -> random.nextInt();
            // JavaScript peers read longs as doubles: stay within 2^53.
            case LONG -> schema.getLogicalType() != null
                    ? 1_700_000_000_000_000L + (random.nextLong() & 0xffffffffffL)
                    : (random.nextLong() >> 11);
            case FLOAT -> random.nextInt(8) == 0 ? Float.NaN : (float) (random.nextGaussian() * 100);
            case DOUBLE -> random.nextInt(3) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : random.nextGaussian() * 1000;
            case BOOLEAN -> random.nextBoolean();
            case NULL -> null;
            default -> throw new IllegalArgumentException("no generator for " + schema.getType());
        };
    }

    private GenericRecord record(Schema schema, int depth) {
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            record.put(f.pos(), value(f.schema(), depth + 1));
        }
        return record;
    }

    private Object union(Schema schema, int depth) {
        List<Schema> branches = new ArrayList<>(schema.getTypes());
        boolean nullable = branches.get(0).getType() == Schema.Type.NULL;
        if (nullable && (depth >= MAX_DEPTH || random.nextInt(5) == 0)) {
            return null;
        }
        if (nullable) {
            branches.remove(0);
        }
        // Top-level unions (a RunEvent's payload) follow the rotation; deeper ones are random.
        return value(branches.get(depth <= 1 ? rotation % branches.size() : random.nextInt(branches.size())), depth);
    }
}
