package io.entrenar.processors;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Fixed-width binary form of {@link Moments} for the stats stores and their changelogs. */
final class MomentsSerde implements Serde<Moments> {
    @Override
    public Serializer<Moments> serializer() {
        return (topic, m) -> m == null ? null : m.toBytes();
    }

    @Override
    public Deserializer<Moments> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != Moments.BYTES) {
                throw new SerializationException("moments of " + bytes.length + " bytes on " + topic + ", expected " + Moments.BYTES);
            }
            return Moments.fromBytes(bytes);
        };
    }
}
