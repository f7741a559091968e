package io.entrenar.cli;

import io.entrenar.config.ConfigFile;
import io.entrenar.sink.SinkApp;
import io.entrenar.sink.SinkConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entrenar sink}: Kafka topics into ClickHouse (chDB in this process, or a server) until Ctrl+C. */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = {"Consumes every data topic and stores the events in ClickHouse tables: chDB in this process "
                + "(engine=chdb, default) or a ClickHouse server (engine=jdbc). Runs until Ctrl+C.",
                "Settings come from --config FILE (key=value), then ENTRENAR_<KEY> environment variables, then options."})
final class SinkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (key=value lines).")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", description = "Schema registry URL.")
    String registryUrl;

    @Option(names = "--engine", description = "chdb (default) or jdbc.")
    String engine;

    @Option(names = "--chdb-path", paramLabel = "DIR", description = "chDB storage directory (default ~/.entrenar/chdb).")
    String chdbPath;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "jdbc:clickhouse://HOST:PORT of a server (engine=jdbc).")
    String jdbcUrl;

    @Option(names = "--check", description = "Validate the configuration, then exit without starting.")
    boolean check;

    @Option(names = "--database", description = "Database of the tables (default entrenar).")
    String database;

    @Override
    public Integer call() throws InterruptedException {
        SinkConfig config = config(System.getenv());
        if (check) {
            spec.commandLine().getOut().println("sink configuration OK (engine " + config.getString(SinkConfig.ENGINE_CONFIG) + ")");
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        SinkApp app = SinkApp.start(config);
        out.println("Entrenar sink is running: " + config.getList(SinkConfig.TOPICS_CONFIG).size() + " topics from "
                + config.getString(SinkConfig.BOOTSTRAP_SERVERS_CONFIG) + " into " + config.engine() + " database "
                + config.database() + (config.engine().equals("chdb") ? " at " + config.chdbPath() : "") + ".");
        app.httpUrl().ifPresent(url -> out.println("ClickHouse HTTP interface over the embedded store: " + url));
        app.opsUrl().ifPresent(url -> out.println("Metrics and health: " + url + "/metrics, " + url + "/health/ready"));
        out.println("Press Ctrl+C to stop.");
        out.flush();
        Foreground.runUntilStopped("sink", () -> {
            out.println("Stopping the sink (inserting and committing what is pending) ...");
            out.flush();
            app.close();
            out.println("Stopped.");
            out.flush();
        });
        return app.failure() == null ? 0 : 1;
    }

    SinkConfig config(Map<String, String> env) {
        ConfigFile file = configFile == null ? ConfigFile.empty() : ConfigFile.load(configFile);
        Map<String, Object> options = new HashMap<>();
        options.put(SinkConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        options.put(SinkConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        options.put(SinkConfig.ENGINE_CONFIG, engine);
        options.put(SinkConfig.CHDB_PATH_CONFIG, chdbPath);
        options.put(SinkConfig.JDBC_URL_CONFIG, jdbcUrl);
        options.put(SinkConfig.DATABASE_CONFIG, database);
        Map<String, Object> settings = file.resolve(SinkConfig.configDef(), SinkConfig.dynamicPrefixes(), env, options);
        try {
            return new SinkConfig(settings);
        } catch (ConfigException e) {
            throw file.explain(e, env);
        }
    }
}
