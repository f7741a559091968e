package io.entrenar.dashboard;

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

import io.entrenar.sink.SinkApp;
import io.entrenar.sink.SinkConfig;
import io.entrenar.sink.engine.Engine;
import io.entrenar.stack.SharedStack;
import io.entrenar.tracking.Tracker;
import io.entrenar.tracking.TrackerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import io.entrenar.serde.AvroSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The running pipeline the dashboard tests share (one chDB store per JVM): the SharedStack broker and
 * registry, the real sink on chDB in this JVM with its ClickHouse HTTP endpoint, the dashboard
 * reading that endpoint through clickhouse-jdbc and the live topics, and a tracker to log runs with.
 * Register with {@code @ExtendWith({SharedStack.class, RunningDashboard.class})}.
 */
final class RunningDashboard implements BeforeAllCallback {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static volatile Running running;

    record Running(Path dir, SinkApp sink, DashboardApp dashboard, Tracker tracker) implements AutoCloseable {
        @Override
        public void close() {
            tracker.close();
            dashboard.close();
            sink.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(RunningDashboard.class, k -> start(), Running.class);
    }

    static DashboardApp dashboard() {
        return running().dashboard();
    }

    /** The sink's ClickHouse endpoint the dashboard reads. */
    static String clickHouseUrl() {
        return running().sink().httpUrl().orElseThrow();
    }

    static Tracker tracker() {
        return running().tracker();
    }

    static Engine clickHouse() {
        return running().sink().engine();
    }

    private static Running running() {
        if (running == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(RunningDashboard.class)");
        }
        return running;
    }

    private static synchronized Running start() {
        try {
            Path dir = Files.createTempDirectory("entrenar-dashboard-test");
            var stack = SharedStack.stack();
            Map<String, Object> sinkConfig = new HashMap<>();
            sinkConfig.put(SinkConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            sinkConfig.put(SinkConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
            sinkConfig.put(SinkConfig.CHDB_PATH_CONFIG, dir.resolve("chdb").toString());
            sinkConfig.put(SinkConfig.GROUP_ID_CONFIG, "dashboard-test");
            sinkConfig.put(SinkConfig.BATCH_MAX_MS_CONFIG, 100L);
            sinkConfig.put(SinkConfig.HTTP_ENABLED_CONFIG, true);
            sinkConfig.put("http.port", 0);
            sinkConfig.put("ops.port", -1);
            SinkApp sink = SinkApp.start(new SinkConfig(sinkConfig));
            // The run page's buttons sign with this file and the tracker verifies with it, as in a stack.
            Path keys = io.entrenar.control.ControlKeys.loadOrCreate(dir.resolve("control.keys")).file();
            DashboardApp dashboard = DashboardApp.start(new DashboardConfig(Map.of(
                    DashboardConfig.PORT_CONFIG, 0,
                    DashboardConfig.CLICKHOUSE_URL_CONFIG, sink.httpUrl().orElseThrow(),
                    DashboardConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    DashboardConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl(),
                    DashboardConfig.CONTROL_KEYS_FILE_CONFIG, keys.toString())));
            Tracker tracker = Tracker.start(Map.of(
                    TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl(),
                    TrackerConfig.SPOOL_DIR_CONFIG, dir.resolve("spool").toString(),
                    TrackerConfig.CONTROL_KEYS_FILE_CONFIG, keys.toString()));
            running = new Running(dir, sink, dashboard, tracker);
            await("dashboard ready", Duration.ofSeconds(60), () -> get("/health/ready").statusCode() == 200);
            return running;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Produces records to their topics as the processors would (e.g. leaderboard entries, alerts). */
    static <T extends SpecificRecord> void produce(String topic, Map<String, T> byKey) {
        var stack = SharedStack.stack();
        Map<String, Object> cfg = Map.of("bootstrap.servers", stack.bootstrapServers(), "schema.registry.url", stack.registryUrl(),
                "acks", "all");
        AvroSerializer<T> serializer = new AvroSerializer<>();
        serializer.configure(cfg, false);
        try (KafkaProducer<String, T> producer = new KafkaProducer<>(cfg, new StringSerializer(), serializer)) {
            byKey.forEach((key, value) -> producer.send(new ProducerRecord<>(topic, key, value)));
            producer.flush();
        }
    }

    /** A POST as a page of the dashboard (or an attacker, with other headers) sends it. */
    static HttpResponse<String> post(String path, String contentType, String body, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(dashboard().url() + path)).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            if (headers.length > 0) {
                b.headers(headers);
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(dashboard().url() + path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static long count(String sql, Map<String, String> params) {
        return Long.parseLong(clickHouse().rows(sql, params).single());
    }
}
