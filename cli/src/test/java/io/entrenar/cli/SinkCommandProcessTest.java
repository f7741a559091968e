package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrenar.events.MetricBatch;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.stack.EmbeddedStack;
import io.entrenar.stack.StackConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code entrenar sink} as a user runs it: a separate JVM that owns the chDB store, serves it over
 * HTTP, stops cleanly on Ctrl+C (closing chDB: no SIGSEGV at exit) and finds its data again.
 */
class SinkCommandProcessTest {
    private static final Pattern HTTP_URL = Pattern.compile("embedded store: (http://\\S+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EmbeddedStack stack;

    @BeforeAll
    static void startStack(@TempDir Path dir) {
        stack = EmbeddedStack.start(new StackConfig(Map.of(StackConfig.DATA_DIR_CONFIG, dir.resolve("stack").toString(),
                StackConfig.KAFKA_PORT_CONFIG, 0, StackConfig.REGISTRY_PORT_CONFIG, 0, "topics.partitions", 1)));
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void storesServesStopsCleanlyAndKeepsItsData(@TempDir Path dir) throws Exception {
        produce(250);
        Path config = dir.resolve("sink.properties");
        Files.writeString(config, "bootstrap.servers=" + stack.bootstrapServers() + "\n"
                + "schema.registry.url=" + stack.registryUrl() + "\n"
                + "chdb.path=" + dir.resolve("chdb") + "\n"
                + "http.port=0\nops.port=0\nbatch.max.ms=100\n");
        try (Running first = Running.start(config)) {
            awaitCount(first.httpUrl, 250);
            // The counters move when the batch's offsets are committed, just after its rows are queryable.
            String metrics = "";
            for (int i = 0; i < 100 && !metrics.contains("\nentrenar_sink_rows_inserted_total 250\n"); i++) {
                Thread.sleep(100);
                metrics = HTTP.send(HttpRequest.newBuilder(URI.create(first.httpUrl + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            }
            assertTrue(metrics.contains("\nentrenar_sink_rows_inserted_total 250\n"), metrics);
            List<String> tail = first.stop();
            assertEquals("Stopped.", tail.getLast());
            assertEquals(130, first.process.exitValue(), "a clean exit on SIGINT (139 would be chDB's SIGSEGV)");
        }
        try (Running second = Running.start(config)) {
            assertEquals("250", query(second.httpUrl, "SELECT count() FROM entrenar.metric_points").strip());
            second.stop();
            assertEquals(130, second.process.exitValue());
        }
    }

    private static void produce(int points) {
        Map<String, Object> cfg = Map.of("bootstrap.servers", stack.bootstrapServers(), "schema.registry.url", stack.registryUrl());
        AvroSerializer<MetricBatch> serializer = new AvroSerializer<>();
        serializer.configure(cfg, false);
        List<Integer> ids = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Long> ts = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            ids.add(0);
            steps.add((long) i);
            values.add(1.0 / (i + 1));
            ts.add(1_700_000_000_000_000L + i);
        }
        MetricBatch batch = MetricBatch.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId("proc-run")
                .setTsMicros(Instant.now()).setLamport(1).setProducerId("test").setSequence(0).setNames(List.of("loss"))
                .setNameIds(ids).setSteps(steps).setValues(values).setTimestampsMicros(ts).build();
        try (KafkaProducer<String, MetricBatch> p = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                new StringSerializer(), serializer)) {
            p.send(new ProducerRecord<>("entrenar.metrics.v1", "proc-run", batch));
            p.flush();
        }
    }

    private static String query(String url, String sql) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/?query="
                + URLEncoder.encode(sql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : "error " + r.body();
    }

    private static void awaitCount(String url, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            last = query(url, "SELECT count() FROM entrenar.metric_points").strip();
            if (last.equals(Integer.toString(expected))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + expected + " points, last answer: " + last);
    }

    private static final class Running implements AutoCloseable {
        final CliProcess cli;
        final Process process;
        final String httpUrl;

        private Running(CliProcess cli) {
            this.cli = cli;
            this.process = cli.process;
            this.httpUrl = cli.find(HTTP_URL);
            assertTrue(httpUrl != null, cli.output.toString());
        }

        static Running start(Path config) throws IOException {
            return new Running(CliProcess.start(Map.of(), "Press Ctrl+C to stop.", "sink", "--config", config.toString()));
        }

        List<String> stop() throws IOException, InterruptedException {
            return cli.stop("Stopped.");
        }

        @Override
        public void close() {
            cli.close();
        }
    }
}
