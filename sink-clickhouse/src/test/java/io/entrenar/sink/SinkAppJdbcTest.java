package io.entrenar.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.entrenar.events.FailureCategory;
import io.entrenar.events.RunStatus;
import io.entrenar.sink.engine.ChdbEngine;
import io.entrenar.sink.http.ClickHouseHttpConfig;
import io.entrenar.sink.http.ClickHouseHttpServer;
import io.entrenar.stack.EmbeddedStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The production path: {@code engine=jdbc}, the sink opening clickhouse-jdbc itself against a
 * ClickHouse HTTP endpoint (ours, over the shared chDB store), migrating and inserting through it.
 */
@ExtendWith(EngineExtension.class)
class SinkAppJdbcTest {

    @Test
    void storesThroughClickHouseJdbc(ChdbEngine engine, EmbeddedStack stack) {
        String db = "sink_jdbc";
        engine.execute("DROP DATABASE IF EXISTS " + db);
        Pipeline.produce(stack, List.of(
                Events.started("jdbc-1", 1, Map.of("lr", "0.01"), Map.of(), List.of(), 0.9, 0.8),
                Events.metrics("jdbc-1", List.of("loss", "accuracy"), 0, 300),
                Events.failure("jdbc-1", "E_OOM", FailureCategory.RESOURCE),
                Events.finished("jdbc-1", 300, RunStatus.FAILED, "E_OOM", 0.5, 2.0)));
        try (ClickHouseHttpServer server = ClickHouseHttpServer.start(new ClickHouseHttpConfig(Map.of(
                     ClickHouseHttpConfig.PORT_CONFIG, 0, ClickHouseHttpConfig.READ_ONLY_CONFIG, false)), engine);
             SinkApp app = SinkApp.start(Pipeline.config(stack, db, "g-jdbc", Map.of(
                     SinkConfig.ENGINE_CONFIG, "jdbc",
                     SinkConfig.JDBC_URL_CONFIG, "jdbc:clickhouse://127.0.0.1:" + server.port())))) {
            assertEquals("jdbc", app.engine().kind());
            Pipeline.await("jdbc-1 stored through JDBC", Duration.ofSeconds(60), () ->
                    engine.rows("SELECT count() FROM system.tables WHERE database = '" + db + "' AND name = 'runs'").single().equals("1")
                    && Pipeline.count(engine, "SELECT count() FROM " + db + ".metric_points WHERE run_id = 'jdbc-1'") == 600
                    && Pipeline.count(engine, "SELECT count() FROM " + db + ".run_events WHERE run_id = 'jdbc-1'") == 2
                    && Pipeline.count(engine, "SELECT count() FROM " + db + ".failures WHERE run_id = 'jdbc-1'") == 1);
            assertNull(app.failure());
            assertEquals("FAILED", app.engine().rows("SELECT status FROM " + db + ".runs WHERE run_id = 'jdbc-1'").single());
        }
    }
}
