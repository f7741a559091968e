package io.entrenar.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;

import io.entrenar.ops.Metrics;
import io.entrenar.ops.OpsServer;
import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.JdbcEngine;

/**
 * The web dashboard: history from ClickHouse over its HTTP interface (clickhouse-jdbc, the sink's
 * {@link JdbcEngine}), live points and alerts from Kafka, served on one port. Stand-alone
 * ({@code entrenar dashboard}) or inside the one-JVM stack.
 */
public final class DashboardApp implements AutoCloseable {
    private final Engine engine;
    private final LiveFeed live;
    private final RunCommands commands;
    private final DashboardServer server;
    private final Map<String, OpsServer.Check> readiness;

    private DashboardApp(Engine engine, LiveFeed live, RunCommands commands, DashboardServer server,
                         Map<String, OpsServer.Check> readiness) {
        this.engine = engine;
        this.live = live;
        this.commands = commands;
        this.server = server;
        this.readiness = readiness;
    }

    public static DashboardApp start(DashboardConfig config) {
        return start(config, new Metrics());
    }

    /**
     * Starts with its series registered in {@code metrics}, e.g. a host process's own, so that they show
     * on the host's {@code /metrics} as well as on the dashboard's.
     */
    public static DashboardApp start(DashboardConfig config, Metrics metrics) {
        StaticAssets.requirePresent();
        Engine engine = JdbcEngine.openReader(config.jdbcUrl(), config.user(), config.password());
        LiveFeed live = null;
        RunCommands commands = null;
        try {
            History history = new History(engine, config.database(), config.getInt(DashboardConfig.CHART_POINTS_CONFIG),
                    config.getInt(DashboardConfig.RUNS_LIMIT_CONFIG));
            Map<String, OpsServer.Check> readiness = new LinkedHashMap<>();
            readiness.put("clickhouse", history::check);
            if (config.getBoolean(DashboardConfig.LIVE_ENABLED_CONFIG)) {
                live = LiveFeed.start(config);
                readiness.put("live", live::check);
                LiveFeed feed = live;
                metrics.register("entrenar_dashboard_live_batches_total", Metrics.Type.COUNTER,
                        "Metric batches read from entrenar.metrics.v1.", feed::batches);
                metrics.register("entrenar_dashboard_live_points_total", Metrics.Type.COUNTER,
                        "Metric points read from entrenar.metrics.v1.", feed::points);
                metrics.register("entrenar_dashboard_live_alerts_total", Metrics.Type.COUNTER,
                        "Alerts read from entrenar.alerts.v1.", feed::alerts);
                metrics.register("entrenar_dashboard_live_bad_records_total", Metrics.Type.COUNTER,
                        "Records the live feed could not decode and skipped.", feed::badRecords);
            }
            commands = config.controlEnabled() ? RunCommands.start(config)
                    : RunCommands.off(DashboardConfig.CONTROL_ENABLED_CONFIG + " is off (the dashboard has no login, and "
                    + "beyond loopback its buttons stay off); use entrenar runs stop|pause|... instead");
            DashboardServer server = DashboardServer.start(config, history, live, commands, metrics, readiness);
            return new DashboardApp(engine, live, commands, server, Map.copyOf(readiness));
        } catch (RuntimeException e) {
            if (commands != null) {
                commands.close();
            }
            if (live != null) {
                live.close();
            }
            engine.close();
            throw e;
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    /** The dashboard's readiness conditions, for a host process's own {@code /health/ready}. */
    public Map<String, OpsServer.Check> readiness() {
        return readiness;
    }

    @Override
    public void close() {
        server.close();
        commands.close();
        if (live != null) {
            live.close();
        }
        engine.close();
    }
}
