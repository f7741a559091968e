package io.entrenar.tracking;

import java.util.EnumMap;
import java.util.Map;

import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.Topic;

/** Schema id of each topic's value schema, registered under {@code <topic>-value} once and then cached. */
final class SchemaIds {
    private final SchemaRegistryClient registry;
    private final Map<Topic, Integer> ids = new EnumMap<>(Topic.class);

    SchemaIds(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    /** The id, asking the registry on first use; throws when the registry cannot answer. */
    synchronized int idOf(Topic topic) {
        Integer id = ids.get(topic);
        if (id == null) {
            id = registry.register(topic.valueSubject(), topic.valueSchema()
                    .orElseThrow(() -> new IllegalArgumentException(topic + " has no value schema")));
            ids.put(topic, id);
        }
        return id;
    }

    static final int HEADER = 5;

    /** Confluent framing: magic byte 0, big-endian schema id, Avro body. */
    byte[] frame(Topic topic, byte[] body, int length) {
        int id = idOf(topic);
        byte[] out = new byte[5 + length];
        // the copy right after the allocation lets the JIT skip zeroing a batch-sized array first
        System.arraycopy(body, 0, out, 5, length);
        out[0] = 0;
        out[1] = (byte) (id >>> 24);
        out[2] = (byte) (id >>> 16);
        out[3] = (byte) (id >>> 8);
        out[4] = (byte) id;
        return out;
    }
}
