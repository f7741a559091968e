package io.entrenar.serde;

import java.util.HashMap;
import java.util.Map;

import io.entrenar.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka Streams serde of one generated event class over a shared registry client. */
public final class AvroSerde {
    private AvroSerde() {
    }

    /** Values of type {@code T} (key = false) or keys, with {@code specific.avro.reader} forced on. */
    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> Serde<T> specific(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
        Map<String, Object> withSpecific = new HashMap<>(configs);
        withSpecific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        AvroSerializer<T> serializer = new AvroSerializer<>(registry, withSpecific, isKey);
        AvroDeserializer<T> deserializer = new AvroDeserializer<>(registry, withSpecific, isKey);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
