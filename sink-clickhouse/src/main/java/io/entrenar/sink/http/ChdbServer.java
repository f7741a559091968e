package io.entrenar.sink.http;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.entrenar.ops.Metrics;
import io.entrenar.ops.OpsConfig;
import io.entrenar.ops.OpsServer;
import io.entrenar.sink.engine.ChdbEngine;
import io.entrenar.sink.schema.Migrations;

/**
 * A ClickHouse server where there is none: one process owns a chDB store, migrates the tables and
 * serves ClickHouse's HTTP interface over it, so that any number of sinks ({@code engine=jdbc}) and
 * clients share one store, as they would share a ClickHouse server.
 */
public final class ChdbServer implements AutoCloseable {
    private final ChdbEngine engine;
    private final ClickHouseHttpServer http;
    private final OpsServer ops;

    private ChdbServer(ChdbEngine engine, ClickHouseHttpServer http, OpsServer ops) {
        this.engine = engine;
        this.http = http;
        this.ops = ops;
    }

    public static ChdbServer start(ChdbServerConfig config) {
        String lib = config.getString(ChdbServerConfig.CHDB_LIBRARY_CONFIG);
        ChdbEngine engine = lib.isBlank() ? ChdbEngine.open(config.chdbPath()) : ChdbEngine.open(config.chdbPath(), Path.of(lib));
        ClickHouseHttpServer http = null;
        try {
            Migrations.apply(engine, config.getString(ChdbServerConfig.DATABASE_CONFIG));
            http = ClickHouseHttpServer.start(config.http(), engine);
            Metrics metrics = new Metrics();
            Map<String, OpsServer.Check> readiness = Map.of("chdb", () -> {
                try {
                    engine.rows("SELECT 1");
                    return null;
                } catch (RuntimeException e) {
                    return "chDB does not answer: " + e.getMessage();
                }
            });
            return new ChdbServer(engine, http, OpsConfig.start(config, metrics, readiness));
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            engine.close();
            throw e;
        }
    }

    /** The ClickHouse HTTP endpoint, e.g. {@code http://127.0.0.1:8123}. */
    public String url() {
        return http.url();
    }

    /** Base URL of {@code /health/*}, unless {@code ops.port=-1}. */
    public Optional<String> opsUrl() {
        return Optional.ofNullable(ops).map(OpsServer::url);
    }

    @Override
    public void close() {
        if (ops != null) {
            ops.close();
        }
        http.close();
        engine.close();
    }
}
