package io.entrenar.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.junit.jupiter.api.Test;

class EventContractTest {

    @Test
    void everyEventCarriesTheEnvelopeFirst() {
        for (Topic topic : Topic.values()) {
            if (topic == Topic.DLQ) {
                assertTrue(topic.valueSchema().isEmpty(), "the DLQ carries raw bytes");
                continue;
            }
            Schema schema = topic.valueSchema().orElseThrow();
            List<Field> fields = schema.getFields();
            assertEquals("event_id", fields.get(0).name(), topic + " event_id");
            assertEquals(Schema.Type.STRING, fields.get(0).schema().getType());
            assertEquals("run_id", fields.get(1).name(), topic + " run_id");
            assertEquals(Schema.Type.STRING, fields.get(1).schema().getType());
            assertEquals("ts_micros", fields.get(2).name(), topic + " ts_micros");
            assertEquals(LogicalTypes.timestampMicros(), fields.get(2).schema().getLogicalType());
            assertEquals("lamport", fields.get(3).name(), topic + " lamport");
            assertEquals(Schema.Type.LONG, fields.get(3).schema().getType());
            assertEquals("io.entrenar.events", schema.getNamespace());
        }
    }

    @Test
    void optionalFieldsDefaultToNullSoThatTheyCanEvolve() {
        List<String> offenders = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Topic topic : Topic.values()) {
            topic.valueSchema().ifPresent(s -> collectNullableWithoutDefault(s, offenders, seen));
        }
        assertTrue(offenders.isEmpty(), "nullable fields without a null default: " + offenders);
    }

    @Test
    void runStartCarriesEverythingTheSpecAttachesToARun() {
        Schema started = Topic.RUNS.valueSchema().orElseThrow().getField("payload").schema().getTypes().get(0);
        assertEquals("RunStarted", started.getName());
        for (String field : List.of("params", "tags", "lineage", "experiment_id", "sweep_id", "session_id", "device",
                "paradigm", "resource_plan", "code_quality", "code_complexity", "dependency_audit", "supply_chain",
                "platform", "benchmark")) {
            assertFalse(started.getField(field) == null, "RunStarted lacks " + field);
        }
        Schema lineageParent = started.getField("lineage").schema().getTypes().get(1)
                .getField("parents").schema().getElementType();
        assertTrue(lineageParent.getField("role").schema().getEnumSymbols().containsAll(List.of("TEACHER", "INITIALIZATION")));
    }

    @Test
    void metricBatchIsColumnar() {
        Schema batch = Topic.METRICS.valueSchema().orElseThrow();
        for (String column : List.of("name_ids", "steps", "values", "timestamps_micros")) {
            assertEquals(Schema.Type.ARRAY, batch.getField(column).schema().getType(), column);
        }
        assertEquals(Schema.Type.DOUBLE, batch.getField("values").schema().getElementType().getType());
    }

    @Test
    void subjectsFollowTopicNameStrategy() {
        assertEquals("entrenar.metrics.v1-value", Topic.METRICS.valueSubject());
        assertEquals(Topic.ALERTS, Topic.byName("entrenar.alerts.v1").orElseThrow());
        assertTrue(Topic.byName("entrenar.nope.v1").isEmpty());
    }

    private static void collectNullableWithoutDefault(Schema schema, List<String> offenders, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                for (Field f : schema.getFields()) {
                    Schema fs = f.schema();
                    if (fs.getType() == Schema.Type.UNION && fs.getTypes().get(0).getType() == Schema.Type.NULL
                            && f.defaultVal() != org.apache.avro.JsonProperties.NULL_VALUE && !"payload".equals(f.name())) {
                        offenders.add(schema.getName() + "." + f.name());
                    }
                    collectNullableWithoutDefault(fs, offenders, seen);
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectNullableWithoutDefault(t, offenders, seen));
            case ARRAY -> collectNullableWithoutDefault(schema.getElementType(), offenders, seen);
            case MAP -> collectNullableWithoutDefault(schema.getValueType(), offenders, seen);
            default -> { }
        }
    }
}
