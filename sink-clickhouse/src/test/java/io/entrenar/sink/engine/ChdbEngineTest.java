package io.entrenar.sink.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrenar.sink.EngineExtension;
import io.entrenar.sink.SharedEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EngineExtension.class)
class ChdbEngineTest {

    private final ChdbEngine engine;

    ChdbEngineTest(ChdbEngine engine) {
        this.engine = engine;
    }

    @BeforeAll
    static void database(ChdbEngine engine) {
        SharedEngine.database(engine, "engine_test");
    }

    @Test
    void createsInsertsFromRowBinaryFileAndQueries(@TempDir Path dir) throws Exception {
        engine.execute("CREATE TABLE engine_test.points (run_id String, step Int64, value Float64) "
                + "ENGINE = MergeTree ORDER BY (run_id, step)");
        ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 3; i++) {
            byte[] run = "run-a".getBytes(StandardCharsets.UTF_8);
            buf.put((byte) run.length).put(run).putLong(i).putDouble(i * 0.5);
        }
        Path file = dir.resolve("points.rowbinary");
        Files.write(file, java.util.Arrays.copyOf(buf.array(), buf.position()));

        engine.insertFile("engine_test.points", List.of("run_id", "step", "value"), file, "RowBinary");

        QueryResult r = engine.rows("SELECT run_id, step, value FROM engine_test.points ORDER BY step");
        assertEquals(List.of("run_id", "step", "value"), r.columns());
        assertEquals(List.of("String", "Int64", "Float64"), r.types());
        assertEquals(List.of(List.of("run-a", "0", "0"), List.of("run-a", "1", "0.5"), List.of("run-a", "2", "1")), r.rows());
        assertArrayEquals("3\n".getBytes(StandardCharsets.UTF_8),
                engine.query("SELECT count() FROM engine_test.points", Map.of(), "TSV"));
    }

    @Test
    void bindsParametersInsteadOfInliningThem() {
        String hostile = "x\n\nDROP DATABASE engine_test";
        QueryResult r = engine.rows("SELECT {v:String} AS v, length({v:String}) AS n", Map.of("v", hostile));
        assertEquals(hostile, r.get(0, "v"));
        assertEquals(hostile.length(), r.getLong(0, "n"));
        assertEquals("1", engine.rows("SELECT count() FROM system.databases WHERE name = 'engine_test'").single());
    }

    @Test
    void errorsCarryClickHouseCodes() {
        ClickHouseException unknownTable = assertThrows(ClickHouseException.class,
                () -> engine.rows("SELECT * FROM engine_test.missing"));
        assertEquals(60, unknownTable.code());
        assertTrue(unknownTable.getMessage().contains("engine_test.missing"), unknownTable.getMessage());

        ClickHouseException syntax = assertThrows(ClickHouseException.class, () -> engine.rows("SELEC 1"));
        assertEquals(62, syntax.code());
    }

    @Test
    void refusesMultiStatements() {
        ClickHouseException e = assertThrows(ClickHouseException.class,
                () -> engine.execute("SELECT 1; DROP DATABASE engine_test"));
        assertEquals(62, e.code());
        assertEquals("1", engine.rows("SELECT count() FROM system.databases WHERE name = 'engine_test'").single());
        // A semicolon inside a string literal is data, not a separator.
        assertEquals("a;b", engine.rows("SELECT 'a;b' AS s;").single());
    }

    @Test
    void jvmSignalHandlersSurviveChdbCalls() {
        engine.rows("SELECT 1");
        // Hot loops over null make the JIT emit implicit null checks that rely on the JVM's SIGSEGV
        // handler; with chDB's (or SIG_DFL) in place this would kill the test JVM.
        int npes = 0;
        for (int i = 0; i < 200_000; i++) {
            try {
                npes += lengthOf(i % 2 == 0 ? null : "x");
            } catch (NullPointerException expected) {
                npes++;
            }
        }
        assertEquals(200_000, npes);
    }

    private static int lengthOf(String s) {
        return s.length();
    }

    @Test
    void refusesASecondPathInTheSameProcess(@TempDir Path other) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ChdbEngine.open(other));
        assertTrue(e.getMessage().contains("one storage path per process"), e.getMessage());
    }
}
