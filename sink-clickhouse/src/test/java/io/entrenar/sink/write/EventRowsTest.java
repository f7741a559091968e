package io.entrenar.sink.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrenar.events.AlertState;
import io.entrenar.events.FailureCategory;
import io.entrenar.events.RunStatus;
import io.entrenar.sink.EngineExtension;
import io.entrenar.sink.Events;
import io.entrenar.sink.SharedEngine;
import io.entrenar.sink.engine.ChdbEngine;
import io.entrenar.sink.engine.QueryResult;
import io.entrenar.sink.schema.Migrations;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Migrations and the RowBinary writers of every table, on the real engine. */
@ExtendWith(EngineExtension.class)
class EventRowsTest {

    private static final String DB = "rows_test";
    private final ChdbEngine engine;

    EventRowsTest(ChdbEngine engine) {
        this.engine = engine;
    }

    @BeforeAll
    static void schema(ChdbEngine engine) {
        engine.execute("DROP DATABASE IF EXISTS " + DB);
        assertEquals(List.of(1, 2, 3, 4), Migrations.apply(engine, DB));
    }

    @Test
    void migrationsAreRecordedAndIdempotent() {
        assertEquals(List.of(), Migrations.apply(engine, DB));
        QueryResult r = engine.rows("SELECT version, name FROM " + DB + ".schema_migrations FINAL ORDER BY version");
        assertEquals(List.of(List.of("1", "tables"), List.of("2", "runs_view"), List.of("3", "process_records"),
                List.of("4", "runs_view_annotations")), r.rows());
        for (SinkTable t : SinkTable.values()) {
            QueryResult cols = engine.rows("SELECT name FROM system.columns WHERE database = {db:String} AND table = {t:String} "
                    + "ORDER BY position", Map.of("db", DB, "t", t.tableName()));
            assertEquals(t.columns(), cols.rows().stream().map(List::getFirst).toList(), t.tableName());
        }
    }

    @Test
    void everyEventKindLandsInItsTables(@TempDir Path spool) {
        Batch batch = new Batch();
        List<Object> events = List.of(
                Events.started("run-1", 1, Map.of("lr", "0.1"), Map.of("team", "a"), List.of("run-0"), 0.85, 0.9),
                Events.finished("run-1", 99, RunStatus.COMPLETED, null, 0.97, 1.5),
                Events.metrics("run-1", List.of("loss", "accuracy"), 0, 50),
                Events.span("run-1", "epoch", 1, 250),
                Events.syscalls("run-1", 0, 9, 4096, 800),
                Events.resource("run-1", 5),
                Events.failure("run-1", "E001", FailureCategory.RESOURCE),
                Events.artifact("run-1", "model.safetensors"),
                Events.stats("run-1", "loss"),
                Events.alert("run-1", AlertState.FIRING),
                Events.eta("run-1", 50, 10.0, null),
                Events.leaderboard("run-1", 0.97, 1.5, true));
        for (Object e : events) {
            assertTrue(EventRows.append(e, batch), e.getClass().getSimpleName());
        }
        assertFalse(EventRows.append("not an event", batch));
        batch.insert(engine, DB, spool);
        assertTrue(batch.isEmpty());

        Map<String, Long> expected = Map.ofEntries(Map.entry("run_events", 2L), 
                Map.entry("spans", 1L), Map.entry("syscalls", 2L), Map.entry("resources", 1L), Map.entry("failures", 1L),
                Map.entry("artifacts", 1L), Map.entry("metric_stats", 1L), Map.entry("alerts", 1L), Map.entry("eta", 1L),
                Map.entry("leaderboard", 1L), Map.entry("lineage_edges", 1L), Map.entry("code_quality", 1L),
                Map.entry("supply_chain", 1L));
        expected.forEach((table, n) -> assertEquals(n,
                Long.parseLong(engine.rows("SELECT count() FROM " + DB + "." + table).single()), table));

        assertEquals("100", engine.rows("SELECT count() FROM " + DB + ".metric_points WHERE run_id = 'run-1'").single());
        QueryResult run = engine.rows("SELECT run_name, status, params['lr'] AS lr, summary['accuracy'] AS acc, cost_usd "
                + "FROM " + DB + ".runs WHERE run_id = 'run-1'");
        assertEquals("name-run-1", run.get(0, "run_name"));
        assertEquals("COMPLETED", run.get(0, "status"));
        assertEquals("0.1", run.get(0, "lr"));
        assertEquals(0.97, run.getDouble(0, "acc"));
        assertEquals(1.5, run.getDouble(0, "cost_usd"));
        QueryResult loss = engine.rows("SELECT step, value FROM " + DB + ".metric_points WHERE name = 'accuracy' "
                + "AND run_id = 'run-1' ORDER BY step DESC LIMIT 1");
        assertEquals(List.of(List.of("49", "1049")), loss.rows());
        assertEquals("run-0", engine.rows("SELECT parent_run_id FROM " + DB + ".lineage_edges").single());
    }

    @Test
    void tagsAndParamsSetAfterTheStartAreTheRunsLatestOnesAndADeletedTagIsGone(@TempDir Path spool) {
        Batch batch = new Batch();
        EventRows.append(Events.started("run-annotated", 1, Map.of("lr", "0.1"), Map.of("team", "a", "scratch", "x"), List.of(), 0.8, 0.9), batch);
        // delivered out of order: the causal order (lamport) decides, not the arrival
        EventRows.append(annotated("run-annotated", 5, Map.of("team", "c", "scratch", "\u0000"), Map.of()), batch);
        EventRows.append(annotated("run-annotated", 3, Map.of("team", "b", "stage", "dev"), Map.of("epochs", "10")), batch);
        batch.insert(engine, DB, spool);
        QueryResult r = engine.rows("SELECT toString(mapSort(tags)) AS tags, toString(mapSort(params)) AS params FROM " + DB + ".runs "
                + "WHERE run_id = 'run-annotated'");
        assertEquals("{'stage':'dev','team':'c'}", r.get(0, "tags"));
        assertEquals("{'epochs':'10','lr':'0.1'}", r.get(0, "params"));
        // the other tests count rows per table
        for (SinkTable t : SinkTable.values()) {
            engine.execute("TRUNCATE TABLE " + DB + "." + t.tableName());
        }
    }

    private static io.entrenar.events.RunEvent annotated(String runId, long lamport, Map<String, String> tags, Map<String, String> params) {
        return io.entrenar.events.RunEvent.newBuilder().setEventId(java.util.UUID.randomUUID().toString()).setRunId(runId)
                .setTsMicros(java.time.Instant.ofEpochSecond(1_700_000_000L + lamport)).setLamport(lamport)
                .setPayload(io.entrenar.events.RunAnnotated.newBuilder().setTags(tags).setParams(params).setWarnings(List.of()).build())
                .build();
    }

    @Test
    void nonFiniteValuesAndUnicodeAreData(@TempDir Path spool) {
        Batch batch = new Batch();
        EventRows.append(Events.metricPoints("run-ü", "lösš ✓", new long[] {1, 2, 3},
                new double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.5}), batch);
        batch.insert(engine, DB, spool);
        QueryResult r = engine.rows("SELECT name, value FROM " + DB + ".metric_points WHERE run_id = 'run-ü' ORDER BY step");
        assertEquals("lösš ✓", r.get(0, "name"));
        assertTrue(Double.isNaN(r.getDouble(0, "value")));
        assertEquals(Double.POSITIVE_INFINITY, r.getDouble(1, "value"));
        assertEquals(-0.5, r.getDouble(2, "value"));
    }
}
