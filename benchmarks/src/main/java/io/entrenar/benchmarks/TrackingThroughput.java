package io.entrenar.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.entrenar.config.KafkaClients;
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
 * Usage: {@code TrackingThroughput [points] [rounds] [spool.write.behind.ms] [ring.capacity] [congestion.max.waiting.points]}
 * (defaults 4M, 3, 50 as the tracker's default, 2^20, and the round's points: the whole burst may wait in memory
 * instead of queueing through the spool past the tracker's default bound of 4M points); prints points/s, bytes/s, the ratio and the
 * tracker's counters per round, then the median over the rounds after the first (JIT and broker warm-up).
 * From the second round on, even rounds send the raw records (the previous round's) before the
 * tracker runs: the broker keeps warming up, and whoever goes second would otherwise gain from it.
 */
public final class TrackingThroughput {
    public static void main(String[] args) throws Exception {
        long points = args.length > 0 ? Long.parseLong(args[0]) : 4_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long writeBehindMs = args.length > 2 ? Long.parseLong(args[2]) : TrackerConfig.SPOOL_WRITE_BEHIND_MS_DEFAULT;
        int ringCapacity = args.length > 3 ? Integer.parseInt(args[3]) : 1 << 20;
        long maxWaiting = args.length > 4 ? Long.parseLong(args[4]) : Math.max(points, ringCapacity);
        System.out.printf("%,d points a round; ring.capacity %,d; spool.write.behind.ms %d; congestion.max.waiting.points %,d%n",
                points, ringCapacity, writeBehindMs, maxWaiting);
        Path dir = Files.createTempDirectory("entrenar-throughput");
        List<Double> trackerMBs = new ArrayList<>();
        List<Double> rawMBs = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        try (EmbeddedStack stack = EmbeddedStack.start(new StackConfig(Map.of(StackConfig.DATA_DIR_CONFIG, dir.toString(),
                StackConfig.KAFKA_PORT_CONFIG, 0, StackConfig.REGISTRY_PORT_CONFIG, 0, "topics.partitions", 2)))) {
            List<ProducerRecord<byte[], byte[]>> previous = null;
            for (int round = 1; round <= rounds; round++) {
                // Alternate the order: whichever goes second finds the broker's request path hotter.
                boolean rawFirst = previous != null && round % 2 == 0;
                Timed rawFirstTimed = rawFirst ? rawSeconds(stack.bootstrapServers(), previous) : null;
                TrackerRound t = trackerRound(stack, dir, round, points, ringCapacity, writeBehindMs, maxWaiting);
                List<ProducerRecord<byte[], byte[]>> same = readBack(stack.bootstrapServers(), t.runId());
                List<ProducerRecord<byte[], byte[]>> rawRecords = rawFirst ? previous : same;
                Timed raw = rawFirst ? rawFirstTimed : rawSeconds(stack.bootstrapServers(), same);
                double rawSecs = raw.seconds();
                previous = same;
                long bytes = bytes(same);
                long rawBytes = bytes(rawRecords);
                double trackerMBps = bytes / t.seconds() / 1e6;
                double rawMBps = rawBytes / rawSecs / 1e6;
                System.out.printf("round %d (%s first): tracking API %,d points in %.2f s = %,.0f points/s, %,.1f MB/s (%d batches, "
                                + "%d overflowed points); raw KafkaProducer same %d records / %,d bytes in %.2f s = %,.1f MB/s; "
                                + "tracking/raw bytes/s = %.0f %%%n",
                        round, rawFirst ? "raw" : "tracker", points, t.seconds(), points / t.seconds(), trackerMBps, same.size(),
                        t.stats().pointsOverflowed(), rawRecords.size(), rawBytes, rawSecs, rawMBps, 100.0 * trackerMBps / rawMBps);
                System.out.printf("  logging loop %.2f s; process CPU (broker included): tracker %.2f s = %.2f cores busy, raw %.2f s = %.2f cores busy%n",
                        t.loggingSeconds(), t.cpuSeconds(), t.cpuSeconds() / t.seconds(), raw.cpuSeconds(), raw.cpuSeconds() / rawSecs);
                System.out.printf("  CPU tracker: %s; raw: %s%n  %s%n", t.split().perPoint(points), raw.split().perPoint(points), t.stats());
                if (round > 1 || rounds == 1) {
                    trackerMBs.add(trackerMBps);
                    rawMBs.add(rawMBps);
                    ratios.add(100.0 * trackerMBps / rawMBps);
                }
            }
        }
        System.out.printf("median of %d warm rounds: tracking API %,.1f MB/s, raw KafkaProducer %,.1f MB/s, tracking/raw = %.0f %%%n",
                ratios.size(), median(trackerMBs), median(rawMBs), median(ratios));
    }

    private record TrackerRound(String runId, double seconds, double loggingSeconds, double cpuSeconds, CpuSplit split, TrackerStats stats) {
    }

    /** Wall time, the CPU time the whole process (the embedded broker included) spent meanwhile, and its split. */
    private record Timed(double seconds, double cpuSeconds, CpuSplit split) {
    }

    /**
     * CPU seconds per thread group over a phase: the sending side's calling thread, the tracker's
     * drain thread, the producer's network thread, and the rest (broker, JIT, GC).
     */
    private record CpuSplit(double caller, double drain, double network, double rest) {
        static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

        static Map<Long, Long> snapshot() {
            Map<Long, Long> cpu = new java.util.HashMap<>();
            for (long id : THREADS.getAllThreadIds()) {
                cpu.put(id, THREADS.getThreadCpuTime(id));
            }
            return cpu;
        }

        static CpuSplit between(Map<Long, Long> before, Map<Long, Long> after, double processCpuSeconds) {
            double caller = 0;
            double drain = 0;
            double network = 0;
            for (var e : after.entrySet()) {
                java.lang.management.ThreadInfo info = THREADS.getThreadInfo(e.getKey());
                if (info == null || e.getValue() < 0) {
                    continue;
                }
                double secs = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1e9;
                String name = info.getThreadName();
                if (e.getKey() == Thread.currentThread().threadId()) {
                    caller += secs;
                } else if (name.equals("entrenar-drain")) {
                    drain += secs;
                } else if (name.startsWith("kafka-producer-network-thread | entrenar-tracker-")
                        || name.startsWith("kafka-producer-network-thread | raw-")) {
                    network += secs;
                }
            }
            return new CpuSplit(caller, drain, network, processCpuSeconds - caller - drain - network);
        }

        String perPoint(long points) {
            return String.format("calling thread %.1f, drain %.1f, producer I/O %.1f, broker/JIT/GC %.1f ns/point",
                    caller * 1e9 / points, drain * 1e9 / points, network * 1e9 / points, rest * 1e9 / points);
        }
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** Logs {@code points} flat out over 8 metrics and waits until every batch is acknowledged. */
    private static TrackerRound trackerRound(EmbeddedStack stack, Path dir, int round, long points, int ringCapacity, long writeBehindMs,
                                             long maxWaiting) {
        String[] names = {"loss", "accuracy", "lr", "grad_norm", "val/loss", "val/accuracy", "throughput", "weight_norm"};
        try (Tracker tracker = Tracker.start(Map.of(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl(),
                TrackerConfig.SPOOL_DIR_CONFIG, dir.resolve("spool").toString(),
                TrackerConfig.RING_CAPACITY_CONFIG, ringCapacity,
                TrackerConfig.SPOOL_WRITE_BEHIND_MS_CONFIG, writeBehindMs,
                TrackerConfig.CONGESTION_MAX_WAITING_POINTS_CONFIG, maxWaiting,
                TrackerConfig.FLUSH_MAX_POINTS_CONFIG, 8192))) {
            Run run = tracker.experiment("throughput").run("round-" + round).start();
            Metric[] metrics = new Metric[names.length];
            for (int i = 0; i < names.length; i++) {
                metrics[i] = run.metric(names[i]);
            }
            tracker.flush(Duration.ofSeconds(30));
            Map<Long, Long> threads0 = CpuSplit.snapshot();
            long cpu0 = OS.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (long p = 0; p < points; p++) {
                metrics[(int) (p & 7)].log(1.0 / (p + 1), p >>> 3);
            }
            long tLogged = System.nanoTime();
            if (!tracker.flush(Duration.ofMinutes(5))) {
                throw new IllegalStateException("flush timed out: " + tracker.stats());
            }
            long t1 = System.nanoTime();
            long cpu1 = OS.getProcessCpuTime();
            CpuSplit split = CpuSplit.between(threads0, CpuSplit.snapshot(), (cpu1 - cpu0) / 1e9);
            TrackerStats stats = tracker.stats();
            run.finish();
            return new TrackerRound(run.id(), (t1 - t0) / 1e9, (tLogged - t0) / 1e9, (cpu1 - cpu0) / 1e9, split, stats);
        }
    }

    /** Sends the records with the tracker's producer settings and waits for every acknowledgement. */
    private static Timed rawSeconds(String bootstrap, List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> raw = new KafkaClients(bootstrap, Map.of(), "entrenar-bench").producer("raw", Map.of(
                "enable.idempotence", true, "acks", "all", "compression.type", "lz4", "linger.ms", 5,
                "batch.size", 256 * 1024), new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.partitionsFor(Topic.METRICS.topicName());
            Map<Long, Long> threads0 = CpuSplit.snapshot();
            long cpu0 = OS.getProcessCpuTime();
            long r0 = System.nanoTime();
            for (ProducerRecord<byte[], byte[]> r : records) {
                raw.send(r);
            }
            raw.flush();
            double secs = (System.nanoTime() - r0) / 1e9;
            double cpu = (OS.getProcessCpuTime() - cpu0) / 1e9;
            return new Timed(secs, cpu, CpuSplit.between(threads0, CpuSplit.snapshot(), cpu));
        }
    }

    private static long bytes(List<ProducerRecord<byte[], byte[]>> records) {
        return records.stream().mapToLong(r -> r.key().length + r.value().length).sum();
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = xs.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static List<ProducerRecord<byte[], byte[]>> readBack(String bootstrap, String runId) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        byte[] key = runId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaClients(bootstrap, Map.of(), "entrenar-bench").consumer("read-back", Map.of(
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
