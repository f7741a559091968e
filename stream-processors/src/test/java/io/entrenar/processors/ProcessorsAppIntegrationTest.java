package io.entrenar.processors;

import io.entrenar.stack.SharedStack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrenar.events.Alert;
import io.entrenar.events.AlertState;
import io.entrenar.events.ControlAction;
import io.entrenar.events.ControlCommand;
import io.entrenar.events.FailureCategory;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The app on the real embedded broker and registry: Andon end to end, the query endpoint, dead letters, and EOS across a SIGKILL. */
@ExtendWith(SharedStack.class)
class ProcessorsAppIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KafkaProducer<String, SpecificRecord> producer;

    @TempDir
    static Path dir;

    @BeforeAll
    static void producer() {
        producer = EventProducer.open();
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    private static Map<String, Object> config(String appId, Path stateDir, Path rules) {
        Map<String, Object> m = new HashMap<>();
        m.put(ProcessorsConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.stack().bootstrapServers());
        m.put(ProcessorsConfig.SCHEMA_REGISTRY_URL_CONFIG, SharedStack.stack().registryUrl());
        m.put(ProcessorsConfig.APPLICATION_ID_CONFIG, appId);
        m.put(ProcessorsConfig.STATE_DIR_CONFIG, stateDir.toString());
        m.put(ProcessorsConfig.HTTP_PORT_CONFIG, 0);
        m.put(io.entrenar.ops.OpsConfig.PORT_CONFIG, 0);
        m.put(ProcessorsConfig.ANDON_CHECK_INTERVAL_MS_CONFIG, 250L);
        m.put(ProcessorsConfig.ANDON_RULES_FILE_CONFIG, rules.toString());
        // A killed instance is noticed in seconds, not the default 45 s; its open transaction is aborted as soon as its successor starts.
        m.put("streams.consumer.session.timeout.ms", "6000");
        m.put("streams.consumer.heartbeat.interval.ms", "1000");
        return m;
    }

    private static Path rules(String yaml) throws IOException {
        Path f = Files.createTempFile(dir, "andon", ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static final String RULES = """
            rules:
              - {name: non_finite, type: non_finite, action: emergency_stop}
              - {name: stall, type: stall, max_seconds: 2}
              - {name: failure, type: failure}
            """;

    private static void send(Topic topic, String runId, SpecificRecord value) {
        producer.send(new ProducerRecord<>(topic.topicName(), runId, value));
    }

    /** Committed records of {@code topic} matching {@code filter}, polled until {@code done} holds or the timeout passes. */
    private static <T extends SpecificRecord> List<T> consume(Topic topic, Predicate<T> filter, Predicate<List<T>> done, Duration timeout) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.stack().bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<T> out = new ArrayList<>();
        Map<String, Object> serde = Map.of("specific.avro.reader", true);
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new AvroDeserializer<>(SharedStack.registry(), serde, false))) {
            // Assigned, not subscribed: no group join, which can take seconds on a loaded machine.
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic.topicName()).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(out)) {
                for (ConsumerRecord<String, T> r : consumer.poll(Duration.ofMillis(200))) {
                    if (filter.test(r.value())) {
                        out.add(r.value());
                    }
                }
            }
        }
        return out;
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void nanFiresOnceResolvesOnceStallIsDetectedAndStateIsQueryable() throws Exception {
        try (ProcessorsApp app = ProcessorsApp.start(new ProcessorsConfig(config("it-andon", dir.resolve("andon-state"), rules(RULES))))) {
            assertTrue(app.awaitRunning(Duration.ofSeconds(60)));
            long t0 = System.currentTimeMillis() * 1000;
            send(Topic.RUNS, "nan-run", Events.started("nan-run", t0));
            for (int i = 0; i < 10; i++) {
                double v = i == 4 || i == 5 ? Double.NaN : 1.0 / (i + 1);
                send(Topic.METRICS, "nan-run", new Events.Batch("nan-run").point("loss", i, v, t0 + i).point("acc", i, 0.1 * i, t0 + i).build());
            }
            producer.flush();
            // Topics are not ordered with each other: finish the run only once its points were seen,
            // or the finish may be processed first and the NaN would belong to a finished run.
            consume(Topic.ALERTS, (Alert a) -> a.getRunId().equals("nan-run"), l -> !l.isEmpty(), Duration.ofSeconds(30));
            send(Topic.RUNS, "nan-run", Events.finished("nan-run", t0 + 100));
            send(Topic.RUNS, "stall-run", Events.started("stall-run", t0));
            send(Topic.METRICS, "stall-run", new Events.Batch("stall-run").point("loss", 1, 1.0, t0).build());
            send(Topic.FAILURES, "f1", Events.failure("f1", t0, "OOM_HEAP", FailureCategory.RESOURCE));
            send(Topic.FAILURES, "f2", Events.failure("f2", t0, "OOM_HEAP", FailureCategory.RESOURCE));
            send(Topic.FAILURES, "f3", Events.failure("f3", t0, "CONFIG_NOT_FOUND", FailureCategory.CONFIG));
            producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), "bad-run", null)).get();
            new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.stack().bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer()).send(new ProducerRecord<>(Topic.METRICS.topicName(),
                    "bad-run".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0x7f, 0x7f, 1})).get();
            producer.flush();

            List<Alert> nan = consume(Topic.ALERTS, (Alert a) -> a.getRunId().equals("nan-run"), l -> l.size() >= 2, Duration.ofSeconds(30));
            List<Alert> stall = consume(Topic.ALERTS, (Alert a) -> a.getRunId().equals("stall-run"), l -> !l.isEmpty(), Duration.ofSeconds(30));
            // Time for any duplicate to show up.
            Thread.sleep(1500);
            nan = consume(Topic.ALERTS, (Alert a) -> a.getRunId().equals("nan-run"), l -> false, Duration.ofSeconds(3));
            assertEquals(2, nan.size(), nan.toString());
            assertEquals(AlertState.FIRING, nan.get(0).getState());
            assertEquals(AlertState.RESOLVED, nan.get(1).getState());
            assertEquals(nan.get(0).getIncidentId(), nan.get(1).getIncidentId());
            assertEquals(4L, nan.get(0).getStep());
            List<ControlCommand> stops = consume(Topic.CONTROL, (ControlCommand c) -> c.getRunId().equals("nan-run"), l -> !l.isEmpty(), Duration.ofSeconds(10));
            assertEquals(ControlAction.STOP, stops.getFirst().getAction());

            assertEquals("stall", stall.getFirst().getRule());
            assertEquals(AlertState.FIRING, stall.getFirst().getState());

            JsonNode stats = get(app.httpUrl() + "/runs/nan-run/stats");
            assertEquals(8, stats.at("/metrics/loss/count").asLong());
            assertEquals(2, stats.at("/metrics/loss/non_finite_count").asLong());
            assertEquals(4.5 * 0.1, stats.at("/metrics/acc/mean").asDouble(), 1e-12);
            JsonNode history = get(app.httpUrl() + "/runs/nan-run/history?metric=loss&n=3");
            assertEquals("[7,8,9]", history.get("steps").toString());
            assertEquals(0.1, history.get("values").get(2).asDouble(), 1e-12);
            JsonNode pareto = get(app.httpUrl() + "/failures/pareto");
            assertEquals("OOM_HEAP", pareto.get(0).get("error_code").asText());
            assertEquals(2, pareto.get(0).get("occurrences").asLong());
            assertEquals(200.0 / 3, pareto.get(0).get("pct").asDouble(), 1e-9);
            assertEquals(100.0, pareto.get(1).get("cumulative_pct").asDouble(), 1e-9);

            List<ConsumerRecord<byte[], byte[]>> dead = deadLetters("bad-run", 1);
            assertEquals(1, dead.size());
            assertTrue(header(dead.getFirst(), DeadLetters.REASON).startsWith("UNKNOWN_SCHEMA_ID"), header(dead.getFirst(), DeadLetters.REASON));
            assertEquals("deserialization", header(dead.getFirst(), DeadLetters.STAGE));
            String ops = app.opsUrl().orElseThrow();
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(ops + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(ops + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("entrenar_processors_dead_letters_total{stage=\"deserialization\"} 1\n"), metrics);
            assertTrue(metrics.contains("entrenar_processors_running 1\n"), metrics);
            assertTrue(metrics.lines().anyMatch(l -> l.matches("entrenar_processors_records_processed_total [1-9][0-9]*")), metrics);
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("entrenar_processors_consumer_lag_records{topic=\"entrenar.metrics.v1\"} ")), metrics);
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("entrenar_processors_open_incidents ")), metrics);
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("kafka_streams_stream_thread_metrics_process_total{")), metrics);
            assertEquals(404, HTTP.send(HttpRequest.newBuilder(URI.create(app.httpUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "metrics and health are the ops endpoint's only");
        }
    }

    @Test
    void twoInstancesShareTheRunsAndEitherEndpointAnswersForEveryRun() throws Exception {
        Path rules = rules(RULES);
        Map<String, Object> a = config("it-scale", dir.resolve("scale-a"), rules);
        Map<String, Object> b = config("it-scale", dir.resolve("scale-b"), rules);
        try (ProcessorsApp first = ProcessorsApp.start(new ProcessorsConfig(a)); ProcessorsApp second = ProcessorsApp.start(new ProcessorsConfig(b))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !(tasks(first) == 1 && tasks(second) == 1
                    && first.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                    && second.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING)) {
                Thread.sleep(200);
            }
            assertEquals(1, tasks(first), "each instance owns one of the two partitions of the training topics");
            assertEquals(1, tasks(second));
            long t0 = System.currentTimeMillis() * 1000;
            int runs = 8;
            for (int r = 0; r < runs; r++) {
                Events.Batch batch = new Events.Batch("scale-run-" + r);
                for (int i = 0; i <= r; i++) {
                    batch.point("loss", i, i, t0 + i);
                }
                send(Topic.METRICS, "scale-run-" + r, batch.build());
            }
            producer.flush();
            for (int r = 0; r < runs; r++) {
                for (ProcessorsApp app : List.of(first, second)) {
                    String url = app.httpUrl() + "/runs/scale-run-" + r + "/stats";
                    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    JsonNode stats = get(url);
                    while (stats.at("/metrics/loss/count").asLong() == 0 && System.nanoTime() < until) {
                        Thread.sleep(100);
                        stats = get(url);
                    }
                    assertEquals(r + 1, stats.at("/metrics/loss/count").asLong(), url);
                    assertEquals(r / 2.0, stats.at("/metrics/loss/mean").asDouble(), 1e-12, url);
                }
            }
        }
    }

    private static int tasks(ProcessorsApp app) {
        // Sub-topology 0 reads the training topics; 1 and 2 are the leaderboard and failure repartitions.
        return (int) app.activeTasks().stream().filter(t -> t.startsWith("0_")).count();
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(String key, int expected) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.stack().bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topic.DLQ.topicName()));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && out.size() < expected) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key)) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aKilledInstanceLeavesNoDuplicateAlertsAfterRestart() throws Exception {
        Path stateDir = dir.resolve("eos-state");
        Map<String, Object> settings = config("it-eos", stateDir, rules(RULES.replace("max_seconds: 2", "max_seconds: 600")));
        settings.put(ProcessorsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000L);
        Properties props = new Properties();
        settings.forEach((k, v) -> props.setProperty(k, v.toString()));
        Path file = dir.resolve("eos.properties");
        try (var w = Files.newBufferedWriter(file)) {
            props.store(w, null);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                ProcessorsMain.class.getName(), file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("eos-child.log").toFile()).start();
        String runId = "eos-run";
        int batches = 400;
        int cycle = 10;
        AtomicInteger sent = new AtomicInteger();
        long t0 = System.currentTimeMillis() * 1000;
        int warmup = 2 * cycle;
        send(Topic.RUNS, runId, Events.started(runId, t0));
        for (int i = 0; i < warmup; i++) {
            // One incident per cycle: NaN at 5, finite again at 6.
            send(Topic.METRICS, runId, new Events.Batch(runId).point("loss", i, i % cycle == 5 ? Double.NaN : 1.0, t0 + i).build());
        }
        producer.flush();
        Thread sender = Thread.ofPlatform().unstarted(() -> {
            for (int i = warmup; i < batches; i++) {
                send(Topic.METRICS, runId, new Events.Batch(runId).point("loss", i, i % cycle == 5 ? Double.NaN : 1.0, t0 + i).build());
                sent.set(i + 1);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
            producer.flush();
        });
        try {
            List<Alert> early = consume(Topic.ALERTS, (Alert a) -> a.getRunId().equals(runId), l -> l.size() >= 4, Duration.ofSeconds(60));
            assertEquals(4, early.size(), "the child instance processes the first two cycles");
            sender.start();
            // Kill while it is busy: batches keep arriving, and its transaction is open for up to a second.
            Thread.sleep(1200);
        } finally {
            child.destroyForcibly().waitFor();
        }
        int sentAtKill = sent.get();
        assertTrue(sentAtKill < batches, "killed mid-stream (" + sentAtKill + " of " + batches + " sent)");
        try (ProcessorsApp app = ProcessorsApp.start(new ProcessorsConfig(settings))) {
            sender.join();
            int incidents = batches / cycle;
            List<Alert> alerts = consume(Topic.ALERTS, (Alert a) -> a.getRunId().equals(runId), l -> l.size() >= 2 * incidents, Duration.ofSeconds(90));
            Thread.sleep(1500);
            alerts = consume(Topic.ALERTS, (Alert a) -> a.getRunId().equals(runId), l -> false, Duration.ofSeconds(3));
            Map<String, Integer> perTransition = new HashMap<>();
            alerts.forEach(a -> perTransition.merge(a.getIncidentId() + "/" + a.getState(), 1, Integer::sum));
            assertEquals(2 * incidents, alerts.size(), "one FIRING and one RESOLVED per incident, none twice: " + perTransition);
            perTransition.forEach((k, n) -> assertEquals(1, n, k));
            assertEquals(incidents, perTransition.keySet().stream().filter(k -> k.endsWith("/FIRING")).count());
        }
    }
}
