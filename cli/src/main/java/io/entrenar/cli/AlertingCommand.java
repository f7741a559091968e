package io.entrenar.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.entrenar.alerting.AlertingApp;
import io.entrenar.alerting.AlertingConfig;
import io.entrenar.config.ConfigFile;
import io.entrenar.ops.Metrics;
import io.entrenar.ops.OpsConfig;
import io.entrenar.ops.OpsServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entrenar alerting}: routes Andon alerts to webhooks until Ctrl+C. */
@Command(name = "alerting", mixinStandardHelpOptions = true,
        description = {"Delivers Andon alerts (entrenar.alerts.v1) to webhooks, Slack and stderr: signed, retried, "
                + "deduplicated per incident; publishes STOP for emergency-stop alerts.",
                "Settings come from --config FILE (key=value), then ENTRENAR_<KEY> environment variables, then options."})
final class AlertingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (key=value lines).")
    Path configFile;

    @Option(names = "--routes", paramLabel = "FILE", description = "Routing YAML (routes.file).")
    String routes;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka brokers (bootstrap.servers).")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL", description = "Schema registry (schema.registry.url).")
    String registryUrl;

    @Option(names = "--check", description = "Validate the configuration and the routing file, then exit without starting.")
    boolean check;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Object> options = new HashMap<>();
        options.put(AlertingConfig.ROUTES_FILE_CONFIG, routes);
        options.put(AlertingConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        options.put(AlertingConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        AlertingConfig config = ConfigFile.resolveConfig(configFile, AlertingConfig.configDef(), java.util.Set.of(), options,
                AlertingConfig::new);
        PrintWriter out = spec.commandLine().getOut();
        if (check) {
            AlertingApp.validate(config);
            out.println("alerting configuration OK (" + config.routesFile() + ")");
            return 0;
        }
        AlertingApp app = AlertingApp.start(config);
        Metrics metrics = new Metrics();
        app.registerMetrics(metrics);
        OpsServer ops = OpsConfig.start(config, metrics, app.readiness());
        out.println("Alerting is routing entrenar.alerts.v1 with " + config.routesFile()
                + (ops == null ? "" : "; metrics and health at " + ops.url()) + ". Press Ctrl+C to stop.");
        out.flush();
        Foreground.runUntilStopped("alerting", () -> {
            if (ops != null) {
                ops.close();
            }
            app.close();
        });
        return 0;
    }
}
