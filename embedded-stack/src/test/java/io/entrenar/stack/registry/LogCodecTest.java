package io.entrenar.stack.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.entrenar.registry.CompatibilityLevel;
import io.entrenar.stack.registry.LogRecord.ConfigRecord;
import io.entrenar.stack.registry.LogRecord.ConfigRemoved;
import io.entrenar.stack.registry.LogRecord.SchemaVersionRecord;
import io.entrenar.stack.registry.LogRecord.SchemaVersionRemoved;
import org.junit.jupiter.api.Test;

class LogCodecTest {

    @Test
    void keysAndValuesAreConfluents() {
        LogCodec.Encoded schema = LogCodec.encode(new SchemaVersionRecord("s", 2, 7, "\"string\"", false));
        assertEquals("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":2,\"magic\":1}", text(schema.key()));
        assertEquals("{\"subject\":\"s\",\"version\":2,\"id\":7,\"schema\":\"\\\"string\\\"\",\"deleted\":false}",
                text(schema.value()));
        LogCodec.Encoded global = LogCodec.encode(new ConfigRecord(null, CompatibilityLevel.FULL));
        assertEquals("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}", text(global.key()));
        assertEquals("{\"compatibilityLevel\":\"FULL\"}", text(global.value()));
        assertNull(LogCodec.encode(new SchemaVersionRemoved("s", 2)).value());
    }

    @Test
    void everyRecordReadsBackAsWritten() {
        for (LogRecord r : List.of(new SchemaVersionRecord("s", 1, 3, "\"long\"", true), new SchemaVersionRemoved("s", 1),
                new ConfigRecord("s", CompatibilityLevel.NONE), new ConfigRecord(null, CompatibilityLevel.FORWARD),
                new ConfigRemoved("s"), new ConfigRemoved(null))) {
            LogCodec.Encoded e = LogCodec.encode(r);
            assertEquals(r, LogCodec.decode(e.key(), e.value()));
        }
    }

    @Test
    void recordKindsWeDoNotKeepAreSkipped() {
        assertNull(LogCodec.decode(bytes("{\"keytype\":\"NOOP\",\"magic\":0}"), bytes("{}")));
        assertNull(LogCodec.decode(bytes("{\"keytype\":\"MODE\",\"subject\":null,\"magic\":0}"), bytes("{\"mode\":\"READWRITE\"}")));
        assertNull(LogCodec.decode(bytes("{\"keytype\":\"SCHEMA\",\"subject\":\"p\",\"version\":1,\"magic\":1}"),
                bytes("{\"subject\":\"p\",\"version\":1,\"id\":1,\"schemaType\":\"PROTOBUF\",\"schema\":\"x\"}")));
        assertNull(LogCodec.decode(bytes("not json"), bytes("{}")));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
