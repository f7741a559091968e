package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrenar.events.Alert;
import io.entrenar.events.AlertState;
import io.entrenar.events.MetricBatch;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunStatus;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.stack.EmbeddedStack;
import io.entrenar.stack.StackConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production shape on one machine: three {@code entrenar processors} and two {@code entrenar sink}
 * JVMs in their consumer groups, the sinks writing through JDBC to one ClickHouse endpoint
 * ({@code entrenar clickhouse}, chDB behind ClickHouse's HTTP interface). Instances join while data
 * flows, one processor and one sink are killed with SIGKILL mid-stream; every point must land once in
 * ClickHouse and every incident fire and resolve once.
 */
class ScaleOutTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CLICKHOUSE_URL = Pattern.compile("ClickHouse HTTP interface over chDB at \\S+: (http://\\S+)");
    private static final Pattern PROCESSORS_OPS = Pattern.compile("Metrics, health: (http://\\S+)/metrics");
    private static final Pattern SINK_OPS = Pattern.compile("Metrics and health: (http://\\S+)/metrics");
    private static final int RUNS = 24;
    private static final int BATCHES_PER_RUN = 6;
    private static final int POINTS_PER_BATCH = 200;
    private static final int TOTAL_POINTS = RUNS * BATCHES_PER_RUN * POINTS_PER_BATCH;
    /** Small heaps and the C1 compiler: six JVMs share two cores with the broker. */
    private static final Map<String, String> JVM = Map.of("JAVA_TOOL_OPTIONS", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");

    private static EmbeddedStack stack;
    private static KafkaProducer<String, SpecificRecord> producer;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        stack = EmbeddedStack.start(new StackConfig(Map.of(StackConfig.DATA_DIR_CONFIG, dir.resolve("stack").toString(),
                StackConfig.KAFKA_PORT_CONFIG, 0, StackConfig.REGISTRY_PORT_CONFIG, 0, "topics.partitions", 6)));
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers(), "enable.idempotence", true, "acks", "all",
                "linger.ms", 5), new StringSerializer(), serializer);
    }

    @AfterAll
    static void stop() {
        producer.close();
        stack.close();
    }

    @Test
    void threeProcessorsAndTwoSinksWithOneOfEachKilledDeliverEveryPointOnceAndEveryIncidentOnce() throws Exception {
        Path rules = dir.resolve("andon.yaml");
        Files.writeString(rules, "rules:\n  - {name: non_finite, type: non_finite, action: notify}\n");
        List<CliProcess> all = new ArrayList<>();
        try {
            CliProcess clickhouse = CliProcess.start(log("clickhouse"), env(Map.of("ENTRENAR_HTTP_READ_ONLY", "false", "ENTRENAR_OPS_PORT", "-1")),
                    "Press Ctrl+C to stop.", "clickhouse", "--chdb-path", dir.resolve("chdb").toString(), "--http-port", "0");
            all.add(clickhouse);
            String clickhouseUrl = clickhouse.find(CLICKHOUSE_URL);
            CliProcess sinkA = sink(clickhouseUrl, "a");
            all.add(sinkA);
            CliProcess p1 = processors(rules, 1);
            all.add(p1);
            CliProcess p2 = processors(rules, 2);
            all.add(p2);

            // A third of the data with two processors and one sink, a third after the others join, the rest after the kills.
            produce(0, 2);
            CliProcess sinkB = sink(clickhouseUrl, "b");
            all.add(sinkB);
            CliProcess p3 = processors(rules, 3);
            all.add(p3);
            produce(2, 4);
            awaitAtLeast(clickhouseUrl, TOTAL_POINTS / 3);
            p2.process.destroyForcibly(); // SIGKILL: no commit, no leave-group; its open transaction is aborted
            sinkA.process.destroyForcibly(); // SIGKILL between inserts and commits: the survivor re-reads from the last commit
            produce(4, BATCHES_PER_RUN);
            finishRuns();

            await(Duration.ofMinutes(4), () -> count(clickhouseUrl, "SELECT count() FROM entrenar.metric_points FINAL") == TOTAL_POINTS,
                    () -> "points in ClickHouse: " + count(clickhouseUrl, "SELECT count() FROM entrenar.metric_points FINAL"));
            assertEquals(0, count(clickhouseUrl, "SELECT count() FROM (SELECT run_id, step, count() AS c FROM entrenar.metric_points FINAL "
                    + "GROUP BY run_id, step HAVING c != 1)"), "every (run, step) exactly once");
            assertEquals(RUNS, count(clickhouseUrl, "SELECT uniqExact(run_id) FROM entrenar.metric_points FINAL"));

            int nanRuns = (int) java.util.stream.IntStream.range(0, RUNS).filter(ScaleOutTest::hasNan).count();
            Map<String, List<AlertState>> incidents = awaitIncidents(nanRuns);
            assertEquals(nanRuns, incidents.size(), incidents.toString());
            incidents.forEach((id, states) -> assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED), states, "incident " + id));
            await(Duration.ofMinutes(2), () -> count(clickhouseUrl, "SELECT count() FROM entrenar.alerts FINAL") == 2L * nanRuns,
                    () -> "alert rows in ClickHouse: " + count(clickhouseUrl, "SELECT count() FROM entrenar.alerts FINAL"));
            assertEquals(nanRuns, count(clickhouseUrl, "SELECT uniqExact(incident_id) FROM entrenar.alerts FINAL WHERE state = 'FIRING'"));

            // The survivors are ready and their metrics parse with Prometheus' own parser.
            for (CliProcess survivor : List.of(p1, p3)) {
                String ops = survivor.find(PROCESSORS_OPS);
                // a survivor may still be rebalancing the killed instance's tasks: ready within a minute, not at once
                await(Duration.ofMinutes(1), () -> readiness(ops).statusCode() == 200, () -> ops + "/health/ready: " + readiness(ops).body());
                JsonNode m = prometheus(get(ops + "/metrics").body());
                assertTrue(m.has("entrenar_processors_records_processed_total") && m.has("entrenar_processors_open_incidents")
                        && m.has("entrenar_processors_records_per_second"), m.toString());
            }
            long processed = 0;
            for (CliProcess survivor : List.of(p1, p3)) {
                processed += prometheus(get(survivor.find(PROCESSORS_OPS) + "/metrics").body())
                        .get("entrenar_processors_records_processed_total").get(0).get("value").asLong();
            }
            assertTrue(processed > 0, "the surviving processors processed records");
            String sinkOps = sinkB.find(SINK_OPS);
            assertEquals(200, get(sinkOps + "/health/ready").statusCode());
            JsonNode sinkMetrics = prometheus(get(sinkOps + "/metrics").body());
            assertTrue(sinkMetrics.get("entrenar_sink_rows_inserted_total").get(0).get("value").asLong() > 0, sinkMetrics.toString());
            assertEquals(0, sinkMetrics.get("entrenar_sink_dead_letters_total").get(0).get("value").asLong());

            // Without its ClickHouse server the sink is alive but not ready, and says why.
            clickhouse.process.destroyForcibly().waitFor();
            await(Duration.ofSeconds(60), () -> {
                try {
                    HttpResponse<String> r = get(sinkOps + "/health/ready");
                    return r.statusCode() == 503 && r.body().contains("\"clickhouse\"");
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            }, () -> "the sink still reports ready");
            assertEquals(200, get(sinkOps + "/health/live").statusCode());
        } finally {
            all.forEach(CliProcess::close);
        }
    }

    /** Each JVM's log, kept as a test output. */
    private static Path log(String name) throws IOException {
        Path logs = Files.createDirectories(Path.of("target", "scale-out-logs"));
        return logs.resolve(name + ".log");
    }

    private static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(JVM);
        env.putAll(extra);
        return env;
    }

    private static CliProcess sink(String clickhouseUrl, String name) throws IOException {
        CliProcess p = CliProcess.start(log("sink-" + name), env(Map.of(
                        "ENTRENAR_OPS_PORT", "0",
                        "ENTRENAR_BATCH_MAX_MS", "200",
                        "ENTRENAR_SPOOL_DIR", dir.resolve("spool-" + name).toString(),
                        // A killed member is noticed in seconds; 6 s is the broker's least session timeout.
                        "ENTRENAR_CONSUMER_SESSION_TIMEOUT_MS", "6000",
                        "ENTRENAR_CONSUMER_HEARTBEAT_INTERVAL_MS", "1000")),
                "Press Ctrl+C to stop.", "sink", "--engine", "jdbc", "--jdbc-url", "jdbc:clickhouse://" + clickhouseUrl.substring("http://".length()),
                "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl());
        p.drainInBackground();
        return p;
    }

    private static CliProcess processors(Path rules, int n) throws IOException {
        CliProcess p = CliProcess.start(log("processors-" + n), env(Map.of(
                        "ENTRENAR_OPS_PORT", "0",
                        "ENTRENAR_APPLICATION_ID", "scale-out",
                        "ENTRENAR_STATE_DIR", dir.resolve("streams-" + n).toString(),
                        "ENTRENAR_STREAMS_CONSUMER_SESSION_TIMEOUT_MS", "6000",
                        "ENTRENAR_STREAMS_CONSUMER_HEARTBEAT_INTERVAL_MS", "1000")),
                "Press Ctrl+C to stop.", "processors", "--bootstrap-servers", stack.bootstrapServers(), "--registry-url", stack.registryUrl(),
                "--http-port", "0", "--andon-rules", rules.toString());
        p.drainInBackground();
        return p;
    }

    private static boolean hasNan(int run) {
        return run % 4 == 1;
    }

    /** Batches [from, to) of every run; the first batch starts the run. A NaN in batch 1 of some runs, finite again from batch 2. */
    private static void produce(int from, int to) {
        long t0 = System.currentTimeMillis() * 1000 - 3_600_000_000L; // an hour ago: the broker refuses timestamps far in the future
        for (int b = from; b < to; b++) {
            for (int r = 0; r < RUNS; r++) {
                String run = "scale-run-" + r;
                if (b == 0) {
                    send(Topic.RUNS, run, RunEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(run)
                            .setTsMicros(Instant.now()).setLamport(1).setPayload(RunStarted.newBuilder().setRunName(run)
                                    .setExperimentId("scale").setExperimentName("scale").build()).build());
                }
                List<Integer> ids = new ArrayList<>();
                List<Long> steps = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                List<Long> ts = new ArrayList<>();
                for (int i = 0; i < POINTS_PER_BATCH; i++) {
                    long step = (long) b * POINTS_PER_BATCH + i;
                    ids.add(0);
                    steps.add(step);
                    values.add(hasNan(r) && b == 1 && i == 7 ? Double.NaN : 1.0 / (step + 1));
                    ts.add(t0 + step * 1000);
                }
                send(Topic.METRICS, run, MetricBatch.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(run)
                        .setTsMicros(Instant.now()).setLamport(2 + b).setProducerId("scale-test").setSequence(b)
                        .setNames(List.of("loss")).setNameIds(ids).setSteps(steps).setValues(values).setTimestampsMicros(ts).build());
            }
        }
        producer.flush();
    }

    private static void finishRuns() {
        for (int r = 0; r < RUNS; r++) {
            String run = "scale-run-" + r;
            send(Topic.RUNS, run, RunEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(run).setTsMicros(Instant.now())
                    .setLamport(100).setPayload(RunFinished.newBuilder().setStatus(RunStatus.COMPLETED).setDurationMicros(1_000_000)
                            .setTotalSteps((long) BATCHES_PER_RUN * POINTS_PER_BATCH).build()).build());
        }
        producer.flush();
    }

    private static void send(Topic topic, String key, SpecificRecord value) {
        producer.send(new ProducerRecord<>(topic.topicName(), key, value));
    }

    /** Committed alerts by incident, in order, read until every expected incident resolved and a little longer (to see repeats). */
    private static Map<String, List<AlertState>> awaitIncidents(int expected) {
        Map<String, List<AlertState>> byIncident = new TreeMap<>();
        AvroDeserializer<Alert> deserializer = new AvroDeserializer<>();
        deserializer.configure(Map.of("schema.registry.url", stack.registryUrl(), "specific.avro.reader", true), false);
        try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", stack.bootstrapServers(),
                "isolation.level", "read_committed"), new StringDeserializer(), deserializer)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.ALERTS.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            long settledAt = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settledAt)) {
                for (ConsumerRecord<String, Alert> r : consumer.poll(Duration.ofMillis(200))) {
                    byIncident.computeIfAbsent(r.value().getIncidentId(), k -> new ArrayList<>()).add(r.value().getState());
                }
                boolean done = byIncident.size() >= expected && byIncident.values().stream().allMatch(s -> s.contains(AlertState.RESOLVED));
                if (done && settledAt == Long.MAX_VALUE) {
                    settledAt = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                }
            }
        }
        return byIncident;
    }

    private static long count(String url, String sql) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Long.parseLong(r.body().strip()) : -1;
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return -1;
        }
    }

    private static void awaitAtLeast(String url, long points) throws InterruptedException {
        await(Duration.ofMinutes(3), () -> count(url, "SELECT count() FROM entrenar.metric_points") >= points,
                () -> "points before the kills: " + count(url, "SELECT count() FROM entrenar.metric_points"));
    }

    private static void await(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out after " + timeout + ": " + state.get());
    }

    private static HttpResponse<String> readiness(String ops) {
        try {
            return get(ops + "/health/ready");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Debian's python3-prometheus-client parses the page (interop/python/parse_prometheus.py). */
    private static JsonNode prometheus(String text) throws IOException, InterruptedException {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("interop/python/parse_prometheus.py");
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return JSON.readTree(out);
    }
}
