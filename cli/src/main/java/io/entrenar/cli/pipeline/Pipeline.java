package io.entrenar.cli.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.entrenar.alerting.AlertingApp;
import io.entrenar.alerting.AlertingConfig;
import io.entrenar.alerting.WebhookReceiver;
import io.entrenar.control.ControlKeys;
import io.entrenar.dashboard.DashboardApp;
import io.entrenar.files.OwnerOnly;
import io.entrenar.mlflow.MlflowApi;
import io.entrenar.ops.Metrics;
import io.entrenar.processors.ProcessorsApp;
import io.entrenar.sink.SinkApp;
import io.entrenar.sink.engine.Engine;
import io.entrenar.ops.OpsConfig;
import io.entrenar.ops.OpsServer;
import io.entrenar.stack.EmbeddedStack;

/**
 * The whole pipeline on one machine: the embedded broker, registry and topics, then the apps that
 * run beside them. Starts in dependency order and closes in reverse, so nothing outlives what it
 * uses.
 */
public final class Pipeline implements AutoCloseable {
    private final EmbeddedStack stack;
    private final SinkApp sink;
    private final ProcessorsApp processors;
    private final WebhookReceiver receiver;
    private final OpsServer ops;
    private final DashboardApp dashboard;
    private final MlflowApi mlflow;
    private final List<AutoCloseable> apps;

    private Pipeline(EmbeddedStack stack, SinkApp sink, ProcessorsApp processors, WebhookReceiver receiver, OpsServer ops,
                     DashboardApp dashboard, MlflowApi mlflow, List<AutoCloseable> apps) {
        this.stack = stack;
        this.sink = sink;
        this.processors = processors;
        this.receiver = receiver;
        this.ops = ops;
        this.dashboard = dashboard;
        this.mlflow = mlflow;
        this.apps = apps;
    }

    public static Pipeline start(PipelineConfig config) {
        EmbeddedStack stack = EmbeddedStack.start(config.stack());
        List<AutoCloseable> apps = new ArrayList<>();
        WebhookReceiver receiver = null;
        ProcessorsApp processors = null;
        SinkApp sink = null;
        Metrics metrics = new Metrics();
        Map<String, OpsServer.Check> readiness = new LinkedHashMap<>();
        try {
            // Made before the apps that sign commands with it; trackers of this stack read it too (README, Control commands).
            ControlKeys.loadOrCreate(config.controlKeysFile());
            // The sink first: it owns the chDB store (one path per process) and so closes after the others.
            if (config.getBoolean(PipelineConfig.SINK_ENABLED_CONFIG)) {
                sink = SinkApp.start(config.sink(stack.bootstrapServers(), stack.registryUrl()));
                apps.add(sink);
                sink.registerMetrics(metrics);
                sink.readiness().forEach((name, check) -> readiness.put("sink." + name, check));
            }
            if (config.getBoolean(PipelineConfig.PROCESSORS_ENABLED_CONFIG)) {
                processors = ProcessorsApp.start(config.processors(stack.bootstrapServers(), stack.registryUrl()));
                apps.add(processors);
                processors.registerMetrics(metrics);
                processors.readiness().forEach((name, check) -> readiness.put("processors." + name, check));
            }
            if (config.getBoolean(PipelineConfig.ALERTING_ENABLED_CONFIG)) {
                Path dir = OwnerOnly.directory(config.stack().dataDir().resolve("alerting"));
                String secret = secret(dir.resolve("webhook-secret"));
                receiver = WebhookReceiver.start(config.stack().host(), config.getInt(PipelineConfig.WEBHOOK_RECEIVER_PORT_CONFIG), secret);
                apps.add(receiver);
                String routes = config.getString(PipelineConfig.ALERTING_ROUTES_FILE_CONFIG);
                Path routesFile = routes.isEmpty() ? defaultRoutes(dir.resolve("routes.yaml"), receiver.url(), secret) : Path.of(routes);
                AlertingApp alerting = AlertingApp.start(new AlertingConfig(Map.of(
                        AlertingConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                        AlertingConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl(),
                        AlertingConfig.ROUTES_FILE_CONFIG, routesFile.toString(),
                        AlertingConfig.CONTROL_KEYS_FILE_CONFIG, config.controlKeysFile().toString(),
                        OpsConfig.PORT_CONFIG, -1)));
                apps.add(alerting);
                alerting.registerMetrics(metrics);
                alerting.readiness().forEach((name, check) -> readiness.put("alerting." + name, check));
            }
            DashboardApp dashboard = null;
            if (config.getBoolean(PipelineConfig.DASHBOARD_ENABLED_CONFIG)) {
                dashboard = DashboardApp.start(config.dashboard(stack.bootstrapServers(), stack.registryUrl(),
                        sink == null ? null : sink.httpUrl().orElse(null)), metrics);
                apps.add(dashboard);
                dashboard.readiness().forEach((name, check) -> readiness.put("dashboard." + name, check));
            }
            MlflowApi mlflow = null;
            if (config.getBoolean(PipelineConfig.MLFLOW_ENABLED_CONFIG)) {
                mlflow = MlflowApi.start(config.mlflow(stack.bootstrapServers(), stack.registryUrl(),
                        sink == null ? null : sink.httpUrl().orElse(null)));
                apps.add(mlflow);
                mlflow.readiness().forEach(readiness::put);
            }
            OpsServer ops = OpsConfig.start(config, metrics, readiness);
            if (ops != null) {
                apps.add(ops);
            }
            return new Pipeline(stack, sink, processors, receiver, ops, dashboard, mlflow, apps);
        } catch (IOException | RuntimeException e) {
            closeAll(apps);
            stack.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public EmbeddedStack stack() {
        return stack;
    }

    /** The ClickHouse HTTP endpoint over the embedded store, or null when the sink is off. */
    public String clickHouseUrl() {
        return sink == null ? null : sink.httpUrl().orElse(null);
    }

    /** The embedded ClickHouse store the sink writes (queries run in this process), or null when the sink is off. */
    public Engine clickHouse() {
        return sink == null ? null : sink.engine();
    }

    /** The processors' query endpoint (stats, history, failure Pareto), or null when they are off. */
    public String processorsUrl() {
        return processors == null ? null : processors.httpUrl();
    }

    /** The stream processors, or null when they are off. */
    public ProcessorsApp processors() {
        return processors;
    }

    /** The local webhook receiver, or null when alerting is off. */
    public WebhookReceiver webhookReceiver() {
        return receiver;
    }

    /** Base URL of /metrics and /health, or null when {@code ops.port=-1}. */
    public String opsUrl() {
        return ops == null ? null : ops.url();
    }

    /** Base URL of the web dashboard, or null when {@code dashboard.enabled=false}. */
    public String dashboardUrl() {
        return dashboard == null ? null : dashboard.url();
    }

    /** Base URL of the MLflow tracking API ({@code MLFLOW_TRACKING_URI}), or null when {@code mlflow.enabled=false}. */
    public String mlflowUrl() {
        return mlflow == null ? null : mlflow.url();
    }

    /** Base URL of the local webhook receiver, or null when alerting is off. */
    public String webhookReceiverUrl() {
        return receiver == null ? null : receiver.url();
    }

    @Override
    public void close() {
        closeAll(apps);
        stack.close();
    }

    private static void closeAll(List<AutoCloseable> apps) {
        for (int i = apps.size() - 1; i >= 0; i--) {
            try {
                apps.get(i).close();
            } catch (Exception e) {
                System.err.println("entrenar: error while stopping " + apps.get(i).getClass().getSimpleName() + ": " + e);
            }
        }
    }

    /** The receiver's HMAC secret, made once per data directory and readable only by its owner. */
    private static String secret(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String secret = HexFormat.of().formatHex(bytes);
        OwnerOnly.write(file, secret);
        return secret;
    }

    /** Every alert to the local receiver (signed) and a line on stderr; rewritten when the receiver moves. */
    private static Path defaultRoutes(Path file, String receiverUrl, String secret) throws IOException {
        return OwnerOnly.write(file, """
                # Written by `entrenar stack`: every alert goes to the local webhook receiver and to stderr.
                # Point alerting.routes.file at your own file to route elsewhere (README, Alerting).
                channels:
                  local-receiver:
                    type: webhook
                    url: %s/hooks/entrenar
                    secret: %s
                  console:
                    type: stderr
                routes:
                  - name: everything
                    channels: [local-receiver, console]
                """.formatted(receiverUrl, secret));
    }
}
