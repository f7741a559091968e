package io.entrenar.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import io.entrenar.config.ConfigFile;
import io.entrenar.sink.http.ChdbServer;
import io.entrenar.sink.http.ChdbServerConfig;
import io.entrenar.sink.http.ClickHouseHttpConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entrenar clickhouse}: a chDB store served over ClickHouse's HTTP interface until Ctrl+C. */
@Command(name = "clickhouse", mixinStandardHelpOptions = true,
        description = {"Serves a chDB store over ClickHouse's HTTP interface, with the tables migrated: a ClickHouse server "
                + "for machines without one. Several sinks (engine=jdbc, jdbc.url=jdbc:clickhouse://HOST:PORT) then write to one store.",
                "Settings come from --config FILE (key=value), then ENTRENAR_<KEY> environment variables, then options."})
final class ClickHouseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (key=value lines).")
    Path configFile;

    @Option(names = "--chdb-path", paramLabel = "DIR", description = "chDB storage directory (default ~/.entrenar/chdb).")
    String chdbPath;

    @Option(names = "--http-port", paramLabel = "PORT", description = "ClickHouse HTTP port (default 8123; 0 = any free port).")
    Integer httpPort;

    @Option(names = "--check", description = "Validate the configuration, then exit without starting.")
    boolean check;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Object> options = new HashMap<>();
        options.put(ChdbServerConfig.CHDB_PATH_CONFIG, chdbPath);
        options.put(ClickHouseHttpConfig.PORT_CONFIG, httpPort);
        ChdbServerConfig config = ConfigFile.resolveConfig(configFile, ChdbServerConfig.configDef(), Set.of(), options, ChdbServerConfig::new);
        PrintWriter out = spec.commandLine().getOut();
        if (check) {
            out.println("clickhouse configuration OK (" + config.chdbPath() + ")");
            return 0;
        }
        ChdbServer server = ChdbServer.start(config);
        out.println("ClickHouse HTTP interface over chDB at " + config.chdbPath() + ": " + server.url());
        server.opsUrl().ifPresent(url -> out.println("Health: " + url + "/health/ready"));
        out.println("Press Ctrl+C to stop.");
        out.flush();
        Foreground.runUntilStopped("clickhouse", () -> {
            server.close();
            out.println("Stopped.");
            out.flush();
        });
        return 0;
    }
}
