package io.entrenar.sink.sql;

import io.entrenar.sink.EngineExtension;
import io.entrenar.sink.engine.ChdbEngine;
import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.JdbcEngine;
import io.entrenar.sink.http.ClickHouseHttpConfig;
import io.entrenar.sink.http.ClickHouseHttpServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same DDL, RowBinary payloads and SQL library through clickhouse-jdbc, connected to the
 * HTTP endpoint over the shared chDB engine: the path a ClickHouse server takes in production.
 */
@ExtendWith(EngineExtension.class)
class JdbcAnalysisQueriesTest extends AnalysisQueriesContract {

    private static final String DB = "analysis_jdbc";
    private static ClickHouseHttpServer server;
    private static JdbcEngine jdbc;

    @BeforeAll
    static void load(ChdbEngine shared) throws Exception {
        server = ClickHouseHttpServer.start(new ClickHouseHttpConfig(Map.of(
                ClickHouseHttpConfig.PORT_CONFIG, 0, ClickHouseHttpConfig.READ_ONLY_CONFIG, false)), shared);
        jdbc = JdbcEngine.open("jdbc:clickhouse://127.0.0.1:" + server.port(), "default", "");
        AnalysisFixture.load(jdbc, DB);
    }

    @AfterAll
    static void close() {
        jdbc.close();
        server.close();
    }

    @Override
    Engine engine() {
        return jdbc;
    }

    @Override
    String db() {
        return DB;
    }
}
