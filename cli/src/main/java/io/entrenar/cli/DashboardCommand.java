package io.entrenar.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.entrenar.config.ConfigFile;
import io.entrenar.dashboard.DashboardApp;
import io.entrenar.dashboard.DashboardConfig;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entrenar dashboard}: the web dashboard over ClickHouse and the live topics, until Ctrl+C. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Serves the web dashboard: runs, live charts, overlays, sweeps, the Pareto frontier, the failure "
                + "Pareto, alerts and lineage. History comes from ClickHouse over HTTP, live points and alerts from Kafka. "
                + "Runs until Ctrl+C.",
                "Settings come from --config FILE (key=value), then ENTRENAR_<KEY> environment variables, then options."})
final class DashboardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (key=value lines).")
    Path configFile;

    @Option(names = "--host", description = "Address to listen on (default 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "Port (default 8080; 0 = any free port).")
    Integer port;

    @Option(names = "--clickhouse-url", paramLabel = "URL", description = "ClickHouse HTTP endpoint (default http://127.0.0.1:8123).")
    String clickhouseUrl;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka brokers of the live stream.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", description = "Schema registry URL.")
    String registryUrl;

    @Option(names = "--check", description = "Validate the configuration, print it, and exit without starting.")
    boolean check;

    @Override
    public Integer call() throws InterruptedException {
        DashboardConfig config = config(System.getenv());
        PrintWriter out = spec.commandLine().getOut();
        if (check) {
            out.println("dashboard configuration OK.");
            config.values().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> out.printf("  %-22s %s%n", e.getKey(),
                            e.getKey().equals(DashboardConfig.CLICKHOUSE_PASSWORD_CONFIG) ? "[hidden]" : e.getValue()));
            out.flush();
            return 0;
        }
        DashboardApp app = DashboardApp.start(config);
        out.println("Entrenar dashboard: " + app.url() + "/  (history from "
                + config.getString(DashboardConfig.CLICKHOUSE_URL_CONFIG) + ", live from "
                + (config.getBoolean(DashboardConfig.LIVE_ENABLED_CONFIG) ? config.getString(DashboardConfig.BOOTSTRAP_SERVERS_CONFIG) : "nowhere: live.enabled=false")
                + ")");
        out.println("Metrics and health: " + app.url() + "/metrics, " + app.url() + "/health/ready");
        out.println("Press Ctrl+C to stop.");
        out.flush();
        Foreground.runUntilStopped("dashboard", () -> {
            app.close();
            out.println("Stopped.");
            out.flush();
        });
        return 0;
    }

    DashboardConfig config(Map<String, String> env) {
        ConfigFile file = configFile == null ? ConfigFile.empty() : ConfigFile.load(configFile);
        Map<String, Object> options = new HashMap<>();
        options.put(DashboardConfig.HOST_CONFIG, host);
        options.put(DashboardConfig.PORT_CONFIG, port);
        options.put(DashboardConfig.CLICKHOUSE_URL_CONFIG, clickhouseUrl);
        options.put(DashboardConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        options.put(DashboardConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        Map<String, Object> settings = file.resolve(DashboardConfig.configDef(), DashboardConfig.dynamicPrefixes(), env, options);
        try {
            return new DashboardConfig(settings);
        } catch (ConfigException e) {
            throw file.explain(e, env);
        }
    }
}
