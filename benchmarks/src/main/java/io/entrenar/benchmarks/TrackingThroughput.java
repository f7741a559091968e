package io.entrenar.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.entrenar.schemas.Topic;
import io.entrenar.stack.EmbeddedStack;
import io.entrenar.stack.StackConfig;
import io.entrenar.tracking.Metric;
import io.entrenar.tracking.Run;
import io.entrenar.tracking.Tracker;
import io.entrenar.tracking.TrackerConfig;
import io.entrenar.tracking.TrackerStats;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End to end: tracking API → broker, against a raw KafkaProducer sending the very same record
 * bytes (read back from the topic) with the same producer settings, on the same embedded broker.
 * Usage: {@code TrackingThroughput [points] [rounds] [spool.write.behind.ms] [ring.capacity]}
 * (defaults 4M, 3, 50 as the tracker's default, 2^20); prints points/s, bytes/s, the ratio and the
 * tracker's counters per round, then the median over the rounds after the first (JIT and broker warm-up).
 */
public final class TrackingThroughput {
    public static void main(String[] args) throws Exception {
        long points = args.length > 0 ? Long.parseLong(args[0]) : 4_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long writeBehindMs = args.length > 2 ? Long.parseLong(args[2]) : TrackerConfig.SPOOL_WRITE_BEHIND_MS_DEFAULT;
        int ringCapacity = args.length > 3 ? Integer.parseInt(args[3]) : 1 << 20;
        Path dir = Files.createTempDirectory("entrenar-throughput");
        List<Double> trackerMBs = new ArrayList<>();
        List<Double> rawMBs = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        try (EmbeddedStack stack = EmbeddedStack.start(new StackConfig(Map.of(StackConfig.DATA_DIR_CONFIG, dir.toString(),
                StackConfig.KAFKA_PORT_CONFIG, 0, StackConfig.REGISTRY_PORT_CONFIG, 0, "topics.partitions", 2)))) {
            for (int round = 1; round <= rounds; round++) {
                String[] names = {"loss", "accuracy", "lr", "grad_norm", "val/loss", "val/accuracy", "throughput", "weight_norm"};
                long t0;
                long t1;
                long tLogged;
                String runId;
                TrackerStats stats;
                try (Tracker tracker = Tracker.start(Map.of(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                        TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl(),
                        TrackerConfig.SPOOL_DIR_CONFIG, dir.resolve("spool").toString(),
                        TrackerConfig.RING_CAPACITY_CONFIG, ringCapacity,
                        TrackerConfig.SPOOL_WRITE_BEHIND_MS_CONFIG, writeBehindMs,
                        TrackerConfig.FLUSH_MAX_POINTS_CONFIG, 8192))) {
                    Run run = tracker.experiment("throughput").run("round-" + round).start();
                    runId = run.id();
                    Metric[] metrics = new Metric[names.length];
                    for (int i = 0; i < names.length; i++) {
                        metrics[i] = run.metric(names[i]);
                    }
                    tracker.flush(Duration.ofSeconds(30));
                    t0 = System.nanoTime();
                    for (long p = 0; p < points; p++) {
                        metrics[(int) (p & 7)].log(1.0 / (p + 1), p >>> 3);
                    }
                    tLogged = System.nanoTime();
                    if (!tracker.flush(Duration.ofMinutes(5))) {
                        throw new IllegalStateException("flush timed out: " + tracker.stats());
                    }
                    t1 = System.nanoTime();
                    stats = tracker.stats();
                    run.finish();
                }
                List<ProducerRecord<byte[], byte[]>> same = readBack(stack.bootstrapServers(), runId);
                long bytes = same.stream().mapToLong(r -> r.key().length + r.value().length).sum();
                double trackerSecs = (t1 - t0) / 1e9;

                long r0;
                long r1;
                try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers(),
                        "enable.idempotence", true, "acks", "all", "compression.type", "lz4", "linger.ms", 5,
                        "batch.size", 256 * 1024), new ByteArraySerializer(), new ByteArraySerializer())) {
                    raw.partitionsFor(Topic.METRICS.topicName());
                    r0 = System.nanoTime();
                    for (ProducerRecord<byte[], byte[]> r : same) {
                        raw.send(r);
                    }
                    raw.flush();
                    r1 = System.nanoTime();
                }
                double rawSecs = (r1 - r0) / 1e9;
                System.out.printf("round %d: tracking API %,d points in %.2f s = %,.0f points/s, %,.1f MB/s (%d batches, "
                                + "%d overflowed points); raw KafkaProducer same %d records / %,d bytes in %.2f s = %,.1f MB/s; "
                                + "tracking/raw bytes/s = %.0f %%%n",
                        round, points, trackerSecs, points / trackerSecs, bytes / trackerSecs / 1e6, same.size(),
                        stats.pointsOverflowed(), same.size(), bytes, rawSecs, bytes / rawSecs / 1e6, 100.0 * rawSecs / trackerSecs);
                System.out.printf("  logging loop %.2f s; %s%n", (tLogged - t0) / 1e9, stats);
                if (round > 1 || rounds == 1) {
                    trackerMBs.add(bytes / trackerSecs / 1e6);
                    rawMBs.add(bytes / rawSecs / 1e6);
                    ratios.add(100.0 * rawSecs / trackerSecs);
                }
            }
        }
        System.out.printf("median of %d warm rounds: tracking API %,.1f MB/s, raw KafkaProducer %,.1f MB/s, tracking/raw = %.0f %%%n",
                ratios.size(), median(trackerMBs), median(rawMBs), median(ratios));
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = xs.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static List<ProducerRecord<byte[], byte[]>> readBack(String bootstrap, String runId) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        byte[] key = runId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", "throughput-" + UUID.randomUUID(), "auto.offset.reset", "earliest", "enable.auto.commit", false,
                "max.partition.fetch.bytes", 8 * 1024 * 1024), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topic.METRICS.topicName()));
            int idle = 0;
            while (idle < 10) {
                var records = c.poll(Duration.ofMillis(300));
                if (records.isEmpty()) {
                    if (!out.isEmpty()) {
                        idle++;
                    }
                    continue;
                }
                idle = 0;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (java.util.Arrays.equals(key, r.key())) {
                        out.add(new ProducerRecord<>(r.topic(), r.key(), r.value()));
                    }
                }
            }
        }
        return out;
    }
}
