package io.entrenar.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.entrenar.events.MetricBatch;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.stack.EmbeddedStack;
import io.entrenar.stack.StackConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Throughput of 1, 2 and 3 instances of {@code entrenar processors} and of {@code entrenar sink}, each
 * instance its own JVM, against the embedded broker (6 partitions per topic). Per round a new
 * consumer group joins at the end of the topic and becomes ready; then a fixed workload of
 * MetricBatches (pre-serialized) is sent as fast as the producer can, and the round ends when the
 * group's committed offsets reach the end of {@code entrenar.metrics.v1} (after an untimed warm-up
 * with a fifth of the workload): processed under
 * exactly-once (processors) or inserted and committed (sinks, through JDBC into one
 * {@code entrenar clickhouse} JVM, the production shape). Prints points/s per round.
 *
 * <p>Run: {@code scripts/run-benchmark ScaleOutBenchmark [POINTS] [MAX_INSTANCES]} (defaults 2,000,000 and 3).
 */
public final class ScaleOutBenchmark {
    private static final int POINTS_PER_BATCH = 1000;
    private static final int RUNS = 48;
    private static final List<String> NAMES = List.of("loss", "accuracy", "lr", "grad_norm");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern PROCESSORS_OPS = Pattern.compile("Metrics, health: (http://\\S+)/metrics");
    private static final Pattern SINK_OPS = Pattern.compile("Metrics and health: (http://\\S+)/metrics");
    private static final Pattern CLICKHOUSE = Pattern.compile("ClickHouse HTTP interface over chDB at \\S+: http://(\\S+)");

    private ScaleOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int points = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int maxInstances = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("entrenar-scale-bench");
        System.out.printf(Locale.ROOT, "ScaleOutBenchmark: %,d points per round in batches of %d, %d runs, 6 partitions; %d cores, load average %s%n",
                points, POINTS_PER_BATCH, RUNS, Runtime.getRuntime().availableProcessors(), loadAverage());
        try (EmbeddedStack stack = EmbeddedStack.start(new StackConfig(Map.of(StackConfig.DATA_DIR_CONFIG, dir.resolve("stack").toString(),
                StackConfig.KAFKA_PORT_CONFIG, 0, StackConfig.REGISTRY_PORT_CONFIG, 0, "topics.partitions", 6)));
             Admin admin = stack.clients("entrenar-bench").admin("scale-out", Map.of())) {
            List<ProducerRecord<String, byte[]>> workload = workload(stack, points);
            List<String> rows = new ArrayList<>();
            for (int n = 1; n <= maxInstances; n++) {
                List<Instance> instances = new ArrayList<>();
                String group = "bench-processors-" + n;
                try {
                    for (int i = 0; i < n; i++) {
                        instances.add(Instance.start(dir.resolve("log-processors-" + n + "-" + i), PROCESSORS_OPS, Map.of(
                                        "ENTRENAR_APPLICATION_ID", group,
                                        "ENTRENAR_STATE_DIR", dir.resolve("state-" + n + "-" + i).toString(),
                                        "ENTRENAR_OPS_PORT", "0",
                                        "ENTRENAR_STREAMS_CONSUMER_AUTO_OFFSET_RESET", "latest"),
                                "processors", "--bootstrap-servers", stack.bootstrapServers(), "--registry-url", stack.registryUrl(), "--http-port", "0"));
                    }
                    rows.add(round("processors", n, instances, stack, admin, group, workload, points));
                } finally {
                    instances.forEach(Instance::close);
                }
            }
            Instance clickhouse = Instance.start(dir.resolve("log-clickhouse"), CLICKHOUSE, Map.of("ENTRENAR_HTTP_READ_ONLY", "false",
                    "ENTRENAR_OPS_PORT", "-1"), "clickhouse", "--chdb-path", dir.resolve("chdb").toString(), "--http-port", "0");
            try {
                for (int n = 1; n <= maxInstances; n++) {
                    List<Instance> instances = new ArrayList<>();
                    String group = "bench-sink-" + n;
                    try {
                        for (int i = 0; i < n; i++) {
                            instances.add(Instance.start(dir.resolve("log-sink-" + n + "-" + i), SINK_OPS, Map.of(
                                            "ENTRENAR_GROUP_ID", group,
                                            "ENTRENAR_OPS_PORT", "0",
                                            "ENTRENAR_CONSUMER_AUTO_OFFSET_RESET", "latest",
                                            "ENTRENAR_SPOOL_DIR", dir.resolve("spool-" + n + "-" + i).toString()),
                                    "sink", "--engine", "jdbc", "--jdbc-url", "jdbc:clickhouse://" + clickhouse.url,
                                    "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl()));
                        }
                        rows.add(round("sink (JDBC → one chDB server)", n, instances, stack, admin, group, workload, points));
                    } finally {
                        instances.forEach(Instance::close);
                    }
                }
            } finally {
                clickhouse.close();
            }
            System.out.println();
            System.out.println("| app | instances | points/s | batches/s | sent in | all committed after |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
            rows.forEach(System.out::println);
            System.out.println("load average at the end: " + loadAverage());
        }
    }

    private static String round(String app, int n, List<Instance> instances, EmbeddedStack stack, Admin admin, String group,
                                List<ProducerRecord<String, byte[]>> workload, int points) throws Exception {
        for (Instance i : instances) {
            i.awaitReady();
        }
        Thread.sleep(2000); // joined at the end of the topic: let every member take its positions there
        // Warm-up: a fifth of the workload through fresh JVMs (JIT, caches, first inserts), not timed.
        send(stack, workload.subList(0, workload.size() / 5));
        awaitCaughtUp(admin, group, 900);
        long t0 = System.nanoTime();
        send(stack, workload);
        long sent = System.nanoTime();
        awaitCaughtUp(admin, group, 900);
        long done = System.nanoTime();
        double seconds = (done - t0) / 1e9;
        String row = String.format(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %.2f s | %.2f s |", app, n, points / seconds,
                workload.size() / seconds, (sent - t0) / 1e9, seconds);
        System.out.println(row);
        return row;
    }

    private static void send(EmbeddedStack stack, List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = stack.clients("entrenar-bench").producer("workload", Map.of(
                "linger.ms", 5, "batch.size", 1 << 20, "compression.type", "lz4", "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    /** Until the group's committed offsets on the metrics topic equal its end offsets (every partition committed). */
    private static void awaitCaughtUp(Admin admin, String group, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < 6; p++) {
            latest.put(new TopicPartition(Topic.METRICS.topicName(), p), OffsetSpec.latest());
        }
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            var ends = admin.listOffsets(latest).all().get();
            boolean caughtUp = true;
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                if (c == null || c.offset() < e.getValue().offset()) {
                    caughtUp = false;
                    break;
                }
            }
            if (caughtUp) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("group " + group + " did not catch up within " + timeoutSeconds + " s");
    }

    private static List<ProducerRecord<String, byte[]>> workload(EmbeddedStack stack, int points) {
        AvroSerializer<MetricBatch> serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        long t0 = System.currentTimeMillis() * 1000 - 3_600_000_000L;
        int batches = points / POINTS_PER_BATCH;
        for (int b = 0; b < batches; b++) {
            String run = "bench-run-" + (b % RUNS);
            long firstStep = (long) (b / RUNS) * (POINTS_PER_BATCH / NAMES.size());
            List<Integer> ids = new ArrayList<>(POINTS_PER_BATCH);
            List<Long> steps = new ArrayList<>(POINTS_PER_BATCH);
            List<Double> values = new ArrayList<>(POINTS_PER_BATCH);
            List<Long> ts = new ArrayList<>(POINTS_PER_BATCH);
            for (int i = 0; i < POINTS_PER_BATCH; i++) {
                long step = firstStep + i / NAMES.size();
                ids.add(i % NAMES.size());
                steps.add(step);
                values.add(1.0 / (step + 1) + (i % NAMES.size()));
                ts.add(t0 + step * 1000);
            }
            MetricBatch batch = MetricBatch.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(run).setTsMicros(Instant.now())
                    .setLamport(b).setProducerId("scale-bench").setSequence(b).setNames(NAMES).setNameIds(ids).setSteps(steps)
                    .setValues(values).setTimestampsMicros(ts).build();
            records.add(new ProducerRecord<>(Topic.METRICS.topicName(), run, serializer.serialize(Topic.METRICS.topicName(), batch)));
        }
        return records;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** One {@code entrenar} JVM, its readiness endpoint or URL taken from what it prints. */
    private record Instance(Process process, String url) implements AutoCloseable {
        static Instance start(Path log, Pattern urlPattern, Map<String, String> env, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", "-Xmx768m"));
            String log4j = System.getProperty("log4j2.configurationFile");
            if (log4j != null) {
                command.add("-Dlog4j2.configurationFile=" + log4j);
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.entrenar.cli.Entrenar"));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            String line;
            while ((line = out.readLine()) != null && !line.equals("Press Ctrl+C to stop.")) {
                Matcher m = urlPattern.matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
            }
            if (url == null) {
                process.destroyForcibly();
                throw new IllegalStateException("entrenar " + String.join(" ", args) + " did not start; see " + log);
            }
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (out.readLine() != null) {
                        // keep the pipe from filling
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            return new Instance(process, url);
        }

        void awaitReady() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < deadline) {
                try {
                    if (HTTP.send(HttpRequest.newBuilder(URI.create(url + "/health/ready")).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(url + " not ready within 180 s");
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
