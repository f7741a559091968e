package io.entrenar.stack.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.serde.AvroSerdeConfig;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.serde.ConfluentWireFormat;
import io.entrenar.stack.SharedStack;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Confluent-named serializer settings do what Confluent's do, against our real registry. */
@ExtendWith(SharedStack.class)
class SerializerOptionsTest {
    private static final Schema V1 = SchemaBuilder.record("Probe").namespace("io.entrenar.test").fields()
            .requiredString("run_id").endRecord();
    private static final Schema V2 = SchemaBuilder.record("Probe").namespace("io.entrenar.test").fields()
            .requiredString("run_id").name("step").type().longType().longDefault(0).endRecord();
    private static SchemaRegistryClient registry;

    @BeforeAll
    static void connect() {
        registry = SharedStack.registry();
    }


    @Test
    void autoRegisterRegistersUnderTheTopicSubject() {
        byte[] bytes = serialize(Map.of(), "probe.auto", record(V1));
        assertEquals(registry.lookup("probe.auto-value", V1).id(), ConfluentWireFormat.schemaId(bytes));
    }

    @Test
    void withoutAutoRegisterAnUnknownSchemaFailsNamingTheSubject() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> serialize(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), "probe.noauto", record(V1)));
        assertTrue(e.getMessage().contains("subject probe.noauto-value"), e.getMessage());
    }

    @Test
    void useLatestVersionWritesWithTheLatestSchema() {
        registry.register("probe.latest-value", V1);
        int v2 = registry.register("probe.latest-value", V2);
        GenericRecord v2Record = record(V2);
        v2Record.put("step", 9L);
        byte[] bytes = serialize(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false, AvroSerdeConfig.USE_LATEST_VERSION, true),
                "probe.latest", v2Record);
        assertEquals(v2, ConfluentWireFormat.schemaId(bytes));
        try (AvroDeserializer<GenericRecord> d = new AvroDeserializer<>(registry, Map.of(), false)) {
            assertEquals(9L, d.deserialize("probe.latest", bytes).get("step"));
        }
    }

    @Test
    void useLatestVersionNeedsAutoRegisterOff() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new AvroSerdeConfig(Map.of(AvroSerdeConfig.USE_LATEST_VERSION, true)));
        assertTrue(e.getMessage().contains("auto.register.schemas=false"), e.getMessage());
    }

    @Test
    void recordNameStrategiesNameSubjectsAfterTheRecord() {
        serialize(Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "io.confluent.kafka.serializers.subject.RecordNameStrategy"),
                "probe.rn", record(V1));
        serialize(Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "TopicRecordNameStrategy"), "probe.trn", record(V1));
        assertTrue(registry.subjects().contains("io.entrenar.test.Probe"));
        assertTrue(registry.subjects().contains("probe.trn-io.entrenar.test.Probe"));
        assertThrows(ConfigException.class,
                () -> new AvroSerdeConfig(Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "ByColourStrategy")));
    }

    @Test
    void aRecordThatDoesNotMatchItsSchemaFailsNamingTheTopic() {
        GenericRecord broken = new GenericData.Record(V1);
        SerializationException e = assertThrows(SerializationException.class, () -> serialize(Map.of(), "probe.broken", broken));
        assertTrue(e.getMessage().contains("for topic probe.broken"), e.getMessage());
    }

    private static byte[] serialize(Map<String, Object> configs, String topic, GenericRecord record) {
        try (AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry, configs, false)) {
            return serializer.serialize(topic, record);
        }
    }

    private static GenericRecord record(Schema schema) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("run_id", "run-1");
        return r;
    }
}
