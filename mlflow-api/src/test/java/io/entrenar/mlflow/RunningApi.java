package io.entrenar.mlflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrenar.sink.SinkApp;
import io.entrenar.sink.SinkConfig;
import io.entrenar.sink.engine.Engine;
import io.entrenar.stack.SharedStack;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The pipeline the MLflow API tests share: the SharedStack broker and registry, the real sink on
 * chDB in this JVM with its ClickHouse HTTP endpoint, and the MLflow API reading that endpoint and
 * writing through its own tracker. Register with {@code @ExtendWith({SharedStack.class, RunningApi.class})}.
 */
final class RunningApi implements BeforeAllCallback {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static volatile Running running;

    record Running(Path dir, SinkApp sink, MlflowApi api) implements AutoCloseable {
        @Override
        public void close() {
            api.close();
            sink.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(RunningApi.class, k -> start(), Running.class);
    }

    static MlflowApi api() {
        return running.api();
    }

    static Engine clickHouse() {
        return running.sink().engine();
    }

    static Path dir() {
        return running.dir();
    }

    /** The settings of the shared API; a test may start a second API with them (a restart). */
    static Map<String, Object> apiConfig() {
        var stack = SharedStack.stack();
        Map<String, Object> c = new HashMap<>();
        c.put(MlflowApiConfig.PORT_CONFIG, 0);
        c.put(MlflowApiConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        c.put(MlflowApiConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        c.put(MlflowApiConfig.CLICKHOUSE_URL_CONFIG, running.sink().httpUrl().orElseThrow());
        c.put(MlflowApiConfig.ARTIFACTS_DIR_CONFIG, running.dir().resolve("artifacts").toString());
        c.put(MlflowApiConfig.SPOOL_DIR_CONFIG, running.dir().resolve("spool").toString());
        c.put("tracker.control.keys.file", running.dir().resolve("control.keys").toString());
        return c;
    }

    private static synchronized Running start() {
        try {
            Path dir = Files.createTempDirectory("entrenar-mlflow-test");
            var stack = SharedStack.stack();
            Map<String, Object> sinkConfig = new HashMap<>();
            sinkConfig.put(SinkConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            sinkConfig.put(SinkConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
            sinkConfig.put(SinkConfig.CHDB_PATH_CONFIG, dir.resolve("chdb").toString());
            sinkConfig.put(SinkConfig.GROUP_ID_CONFIG, "mlflow-test");
            sinkConfig.put(SinkConfig.BATCH_MAX_MS_CONFIG, 100L);
            sinkConfig.put(SinkConfig.HTTP_ENABLED_CONFIG, true);
            sinkConfig.put("http.port", 0);
            sinkConfig.put("ops.port", -1);
            SinkApp sink = SinkApp.start(new SinkConfig(sinkConfig));
            io.entrenar.control.ControlKeys.loadOrCreate(dir.resolve("control.keys"));
            running = new Running(dir, sink, null);
            MlflowApi api = MlflowApi.start(new MlflowApiConfig(apiConfig()));
            running = new Running(dir, sink, api);
            return running;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A response: status and body as JSON (null when the body is not JSON). */
    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return MlflowJson.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body);
            }
        }
    }

    static Reply post(String path, String json, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(api().url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    static Reply get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(api().url() + path)).GET(), headers);
    }

    static Reply send(HttpRequest.Builder b, String... headers) {
        try {
            if (headers.length > 0) {
                b.headers(headers);
            }
            HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static long count(String sql, Map<String, String> params) {
        return Long.parseLong(clickHouse().rows(sql, params).rows().getFirst().getFirst());
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        try {
            if (!io.entrenar.stack.Await.until(condition, timeout)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
