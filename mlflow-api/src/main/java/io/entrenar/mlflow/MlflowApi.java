package io.entrenar.mlflow;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.entrenar.config.ClientSecurity;
import io.entrenar.ops.OpsServer;
import io.entrenar.ops.http.HttpException;
import io.entrenar.ops.http.HttpReply;
import io.entrenar.ops.http.HttpService;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.sink.engine.ClickHouseException;
import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.JdbcEngine;
import io.entrenar.tracking.Tracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLflow-compatible tracking server: MLflow clients (Python's {@code mlflow}, Lightning, Hugging
 * Face, the Node client, plain HTTP) set {@code MLFLOW_TRACKING_URI} to it and their runs become
 * runs of the pipeline. Writes go to Kafka through a tracker (durable before the call returns);
 * reads come from ClickHouse. Stand-alone ({@code entrenar mlflow-api}) or inside the one-JVM stack.
 */
public final class MlflowApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MlflowApi.class);

    private final Tracker tracker;
    private final Experiments experiments;
    private final Engine engine;
    private final HttpService http;
    private final RunReader reader;

    private MlflowApi(Tracker tracker, Experiments experiments, Engine engine, HttpService http, RunReader reader) {
        this.tracker = tracker;
        this.experiments = experiments;
        this.engine = engine;
        this.http = http;
        this.reader = reader;
    }

    public static MlflowApi start(MlflowApiConfig config) {
        Map<String, Object> registryConfigs = ClientSecurity.registryClientConfigs(config);
        registryConfigs.put("schema.registry.url", config.getString(MlflowApiConfig.SCHEMA_REGISTRY_URL_CONFIG));
        SchemaRegistryClient registry = CachedSchemaRegistryClient.fromConfigs(registryConfigs);
        Engine engine = JdbcEngine.openReader(config.jdbcUrl(), config.clickhouseUser(), config.clickhousePassword());
        Tracker tracker = null;
        Experiments experiments = null;
        try {
            tracker = Tracker.start(config.tracker());
            experiments = Experiments.load(io.entrenar.config.KafkaClients.of(config, "entrenar-mlflow-api"), registry,
                    "mlflow-artifacts:/");
            RunReader reader = new RunReader(engine, config.database());
            Duration pauseHold = Duration.ofMillis(config.getInt(MlflowApiConfig.PAUSE_HOLD_MS_CONFIG));
            RunWriter writer = new RunWriter(tracker, experiments, reader, pauseHold);
            Artifacts artifacts = new Artifacts(config.artifactsDir(), config.getLong(MlflowApiConfig.ARTIFACT_MAX_BYTES_CONFIG));
            TrackingEndpoints endpoints = new TrackingEndpoints(experiments, writer, reader, artifacts,
                    Duration.ofMillis(config.getInt(MlflowApiConfig.READ_WAIT_MS_CONFIG)));
            HttpService.Builder b = HttpService.builder("mlflow-api", config.getString(MlflowApiConfig.HOST_CONFIG),
                            config.getInt(MlflowApiConfig.PORT_CONFIG))
                    .browsers(java.util.List.of(), config.getList(MlflowApiConfig.ALLOWED_ORIGINS_CONFIG))
                    .bodyLimit(16L << 20)
                    // a write to a paused run is held up to pause.hold.ms: the connection must outlive it
                    .idleTimeout(pauseHold.plusSeconds(30))
                    .credentials(config.credentials())
                    .fallback(TrackingEndpoints.notFound())
                    .errors(MlflowApi::errorReply)
                    // probes need no credentials, as on MLflow's own server
                    .openRoute("GET", "/health", call -> HttpReply.text(200, "OK"))
                    .openRoute("GET", "/version", call -> HttpReply.text(200, "2.22.0"));
            endpoints.register(b);
            HttpService http = b.start();
            LOG.info("MLflow tracking API on {} (MLFLOW_TRACKING_URI={})", http.uri(), http.uri());
            return new MlflowApi(tracker, experiments, engine, http, reader);
        } catch (RuntimeException e) {
            if (experiments != null) {
                experiments.close();
            }
            if (tracker != null) {
                tracker.close();
            }
            engine.close();
            throw e;
        }
    }

    /** MLflow's error JSON for every failure; never an HTML page, and validation never a 5xx. */
    private static HttpReply errorReply(Throwable t) {
        if (t instanceof MlflowException m) {
            return HttpReply.json(m.status(), MlflowJson.error(m.errorCode(), m.getMessage()));
        }
        if (t instanceof HttpException h) {
            String code = switch (h.status()) {
                case 405 -> "ENDPOINT_NOT_FOUND";
                case 413 -> "INVALID_PARAMETER_VALUE";
                case 403 -> "PERMISSION_DENIED";
                case 401 -> "UNAUTHENTICATED";
                default -> "BAD_REQUEST";
            };
            String message = h.status() == 401 ? h.getMessage() + " (MLflow clients: MLFLOW_TRACKING_USERNAME and "
                    + "MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN)" : h.getMessage();
            return HttpReply.json(h.status(), MlflowJson.error(code, message));
        }
        if (t instanceof ClickHouseException || t instanceof java.io.UncheckedIOException) {
            return HttpReply.json(503, MlflowJson.error("TEMPORARILY_UNAVAILABLE", "ClickHouse could not answer: " + t.getMessage()));
        }
        LOG.error("MLflow API call failed", t);
        return HttpReply.json(500, MlflowJson.error("INTERNAL_ERROR", t.toString()));
    }

    /** Base URL, the {@code MLFLOW_TRACKING_URI} of clients. */
    public String url() {
        return http.uri().toString();
    }

    public int port() {
        return http.port();
    }

    /** Readiness conditions for the host's ops endpoint. */
    public Map<String, OpsServer.Check> readiness() {
        Map<String, OpsServer.Check> checks = new LinkedHashMap<>();
        checks.put("mlflow-api", () -> {
            try {
                reader.check();
                return null;
            } catch (RuntimeException e) {
                return "ClickHouse does not answer the MLflow API's reads: " + e.getMessage();
            }
        });
        return checks;
    }

    @Override
    public void close() {
        http.close();
        experiments.close();
        tracker.close();
        engine.close();
    }
}
