package io.entrenar.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpServer;
import io.entrenar.sink.engine.ChdbEngine;
import io.entrenar.stack.EmbeddedStack;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A schema registry outage is not bad data: the sink keeps the records (no dead letters, no
 * commits past them) and stores them once the registry answers again.
 */
@ExtendWith(EngineExtension.class)
class RegistryOutageTest {

    @Test
    void recordsWaitForTheRegistryInsteadOfBecomingDeadLetters(ChdbEngine engine, EmbeddedStack stack) throws Exception {
        String db = "sink_outage";
        engine.execute("DROP DATABASE IF EXISTS " + db);
        AtomicBoolean up = new AtomicBoolean(false);
        HttpClient client = HttpClient.newHttpClient();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        proxy.createContext("/", ex -> {
            try (ex) {
                if (!up.get()) {
                    ex.sendResponseHeaders(503, -1);
                    return;
                }
                try (InputStream in = ex.getRequestBody()) {
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.registryUrl() + ex.getRequestURI()))
                            .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(in.readAllBytes()));
                    String type = ex.getRequestHeaders().getFirst("Content-Type");
                    if (type != null) {
                        b.header("Content-Type", type);
                    }
                    HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                    ex.getResponseHeaders().set("Content-Type", r.headers().firstValue("Content-Type").orElse("application/json"));
                    ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                    try (OutputStream o = ex.getResponseBody()) {
                        o.write(r.body());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        proxy.start();
        try {
            // Registered through the real registry; the sink will look the id up through the proxy.
            // A topic of its own, so that no other test's records (e.g. deliberate garbage) are in the way.
            String topic = "outage-test.metrics";
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            Pipeline.produce(stack, topic, List.of(Events.metricPoints("outage-1", "loss", new long[] {1, 2, 3}, new double[] {3, 2, 1})));
            Map<String, Object> extra = Map.of(SinkConfig.SCHEMA_REGISTRY_URL_CONFIG,
                    "http://127.0.0.1:" + proxy.getAddress().getPort(), SinkConfig.TOPICS_CONFIG, topic);
            try (SinkApp app = SinkApp.start(Pipeline.config(stack, db, "g-outage", extra), engine)) {
                Pipeline.await("the sink to reach the records", Duration.ofSeconds(30), () -> app.status().lag() > 0);
                Thread.sleep(2500);
                assertEquals(0, app.status().deadLetters());
                assertEquals(0, Pipeline.count(engine, "SELECT count() FROM " + db + ".metric_points WHERE run_id = 'outage-1'"));
                up.set(true);
                Pipeline.await("the records stored after the outage", Duration.ofSeconds(30), () ->
                        Pipeline.count(engine, "SELECT count() FROM " + db + ".metric_points WHERE run_id = 'outage-1'") == 3);
                assertEquals(0, app.status().deadLetters());
                assertNull(app.failure());
            }
        } finally {
            proxy.stop(0);
        }
    }
}
