package io.entrenar.processors.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.entrenar.events.Alert;
import io.entrenar.events.AlertState;
import io.entrenar.events.MetricBatch;
import io.entrenar.processors.ProcessorsApp;
import io.entrenar.processors.ProcessorsConfig;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.stack.EmbeddedStack;
import io.entrenar.stack.StackConfig;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * End-to-end benchmark of the processors on this machine, broker in the same JVM:
 * <ol>
 *   <li>metric points/s through the whole processors app (exactly-once v2), from a pre-filled
 *       {@code entrenar.metrics.v1} of batches, until the app's committed offsets reach the end;</li>
 *   <li>the same for a plain exactly-once windowed count over one record per point (the baseline of DESIGN.md);</li>
 *   <li>latency from sending a batch with a NaN to its committed FIRING alert on {@code entrenar.alerts.v1}, p50/p99.</li>
 * </ol>
 * Args: [points (default 4,000,000)] [points per batch (500)] [baseline records (400,000)] [latency samples (300)].
 */
public final class ProcessorsBenchmark {
    private static final String[] METRICS = {"loss", "accuracy", "grad_norm", "learning_rate"};

    private ProcessorsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long points = args.length > 0 ? Long.parseLong(args[0]) : 4_000_000L;
        int perBatch = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        long baselineRecords = args.length > 2 ? Long.parseLong(args[2]) : 400_000L;
        int samples = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        Path dir = Files.createTempDirectory("entrenar-processors-bench");
        System.out.printf("Entrenar processors benchmark: %d cores, %s%n", Runtime.getRuntime().availableProcessors(), Instant.now());
        try (EmbeddedStack stack = EmbeddedStack.start(new StackConfig(Map.of(StackConfig.DATA_DIR_CONFIG, dir.resolve("stack").toString(),
                StackConfig.KAFKA_PORT_CONFIG, 0, StackConfig.REGISTRY_PORT_CONFIG, 0, "topics.partitions", 2)));
             SchemaRegistryClient registry = CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", stack.registryUrl()))) {
            double baseline = baseline(stack, dir, baselineRecords);
            double processors = processors(stack, registry, dir, points, perBatch);
            System.out.printf(Locale.ROOT, "%nRESULT processors (EOS v2, full topology): %,.0f points/s%n", processors);
            System.out.printf(Locale.ROOT, "RESULT baseline plain EOS windowed count:  %,.0f points/s%n", baseline);
            System.out.printf(Locale.ROOT, "RESULT ratio: %.1fx%n", processors / baseline);
            latency(stack, registry, dir, samples);
        }
    }

    private static Map<String, Object> producerConfig(EmbeddedStack stack) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    private static double processors(EmbeddedStack stack, SchemaRegistryClient registry, Path dir, long points, int perBatch) throws Exception {
        long batches = points / perBatch;
        System.out.printf(Locale.ROOT, "%nfilling %s with %,d points in %,d batches of %d ...%n", Topic.METRICS.topicName(), batches * perBatch, batches, perBatch);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(producerConfig(stack), new StringSerializer(),
                new AvroSerializer<>(registry, Map.of(), false))) {
            long t0 = System.currentTimeMillis() * 1000;
            int runs = 16;
            long[] steps = new long[runs];
            for (long b = 0; b < batches; b++) {
                int run = (int) (b % runs);
                String runId = "bench-run-" + run;
                List<String> names = List.of(METRICS);
                List<Integer> ids = new ArrayList<>(perBatch);
                List<Long> stepList = new ArrayList<>(perBatch);
                List<Double> values = new ArrayList<>(perBatch);
                List<Long> ts = new ArrayList<>(perBatch);
                for (int i = 0; i < perBatch; i++) {
                    int m = i % METRICS.length;
                    if (m == 0) {
                        steps[run]++;
                    }
                    ids.add(m);
                    stepList.add(steps[run]);
                    values.add(1.0 / (1 + steps[run] * 0.001) + m);
                    ts.add(t0 + steps[run] * 1000);
                }
                MetricBatch batch = MetricBatch.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId)
                        .setTsMicros(Instant.EPOCH.plusNanos(ts.getFirst() * 1000)).setLamport(b).setProducerId("bench").setSequence(b)
                        .setNames(names).setNameIds(ids).setSteps(stepList).setValues(values).setTimestampsMicros(ts).build();
                producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), runId, batch));
            }
            producer.flush();
        }
        Map<String, Object> config = new HashMap<>();
        config.put(ProcessorsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ProcessorsConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        config.put(ProcessorsConfig.APPLICATION_ID_CONFIG, "bench-processors");
        config.put(ProcessorsConfig.STATE_DIR_CONFIG, dir.resolve("processors-state").toString());
        config.put(ProcessorsConfig.HTTP_PORT_CONFIG, 0);
        try (ProcessorsApp app = ProcessorsApp.start(new ProcessorsConfig(config))) {
            if (!app.awaitRunning(Duration.ofSeconds(120))) {
                throw new IllegalStateException("the processors did not start: " + app.state());
            }
            double secs = awaitCaughtUp(stack, "bench-processors", Topic.METRICS.topicName());
            double rate = batches * perBatch / secs;
            System.out.printf(Locale.ROOT, "processors: %,d points in %.2f s = %,.0f points/s (%,.0f batches/s)%n", batches * perBatch, secs, rate, batches / secs);
            return rate;
        }
    }

    private static double baseline(EmbeddedStack stack, Path dir, long records) throws Exception {
        String input = "bench.baseline.points";
        String output = "bench.baseline.counts";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(input, 2, (short) 1), new NewTopic(output, 2, (short) 1))).all().get();
        }
        System.out.printf(Locale.ROOT, "filling %s with %,d point records of 100 bytes ...%n", input, records);
        byte[] value = new byte[100];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(stack), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(input, ("bench-run-" + i % 16 + "|loss").getBytes(), value));
            }
            producer.flush();
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1)))
                .count()
                .toStream((w, v) -> w.key() + "@" + w.window().start())
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-baseline");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("baseline-state").toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        try (KafkaStreams streams = new KafkaStreams(builder.build(), p)) {
            streams.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double secs = awaitCaughtUp(stack, "bench-baseline", input);
            double rate = records / secs;
            System.out.printf(Locale.ROOT, "baseline: %,d records in %.2f s = %,.0f points/s%n", records, secs, rate);
            return rate;
        }
    }

    /** Seconds until the group's committed offsets reach the topic's end offsets, measured from the call. */
    private static double awaitCaughtUp(EmbeddedStack stack, String group, String topic) throws Exception {
        long start = System.nanoTime();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                boolean done = end.entrySet().stream().allMatch(e -> {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    // Under EOS the committed offset may sit one past the last record (the transaction marker).
                    return c != null && c.offset() >= e.getValue();
                });
                if (done) {
                    return (System.nanoTime() - start) / 1e9;
                }
                if (System.nanoTime() - start > Duration.ofMinutes(10).toNanos()) {
                    throw new IllegalStateException(group + " did not catch up on " + topic + ": " + committed + " vs " + end);
                }
                Thread.sleep(20);
            }
        }
    }

    private static void latency(EmbeddedStack stack, SchemaRegistryClient registry, Path dir, int samples) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProcessorsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ProcessorsConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        config.put(ProcessorsConfig.APPLICATION_ID_CONFIG, "bench-processors");
        config.put(ProcessorsConfig.STATE_DIR_CONFIG, dir.resolve("processors-state").toString());
        config.put(ProcessorsConfig.HTTP_PORT_CONFIG, 0);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Histogram histogram = new Histogram(3);
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-latency");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Object> p = producerConfig(stack);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        try (ProcessorsApp app = ProcessorsApp.start(new ProcessorsConfig(config));
             KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(p, new StringSerializer(), new AvroSerializer<>(registry, Map.of(), false));
             KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                     new AvroDeserializer<>(registry, Map.of("specific.avro.reader", true), false))) {
            if (!app.awaitRunning(Duration.ofSeconds(120))) {
                throw new IllegalStateException("the processors did not start: " + app.state());
            }
            consumer.subscribe(List.of(Topic.ALERTS.topicName()));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            System.out.printf(Locale.ROOT, "%nlatency: %d NaN batches, 50 ms apart, each answered by a FIRING alert (commit.interval.ms=100) ...%n", samples);
            Thread sender = Thread.ofPlatform().start(() -> {
                long t0 = System.currentTimeMillis() * 1000;
                for (int i = 0; i < samples; i++) {
                    String runId = "latency-run-" + i;
                    MetricBatch batch = MetricBatch.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId)
                            .setTsMicros(Instant.now()).setLamport(i).setProducerId("bench").setSequence(0)
                            .setNames(List.of("loss")).setNameIds(List.of(0)).setSteps(List.of(1L)).setValues(List.of(Double.NaN))
                            .setTimestampsMicros(List.of(t0 + i)).build();
                    sentAt.put(runId, System.nanoTime());
                    producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), runId, batch));
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            int received = 0;
            int warmup = Math.min(10, samples / 10);
            long deadline = System.nanoTime() + Duration.ofSeconds(samples / 20 + 60).toNanos();
            while (received < samples && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Alert> r : consumer.poll(Duration.ofMillis(20))) {
                    Long sent = sentAt.get(r.key());
                    if (sent != null && r.value().getState() == AlertState.FIRING) {
                        if (received++ >= warmup) {
                            histogram.recordValue((System.nanoTime() - sent) / 1000);
                        }
                    }
                }
            }
            sender.join();
            System.out.printf(Locale.ROOT, "RESULT NaN → FIRING alert committed on %s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d samples after %d warm-up)%n",
                    Topic.ALERTS.topicName(), histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                    histogram.getMaxValue() / 1000.0, histogram.getTotalCount(), warmup);
        }
    }
}
