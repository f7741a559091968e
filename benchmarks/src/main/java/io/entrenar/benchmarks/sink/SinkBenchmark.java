package io.entrenar.benchmarks.sink;

import io.entrenar.events.MetricBatch;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.sink.SinkApp;
import io.entrenar.sink.SinkConfig;
import io.entrenar.sink.engine.ChdbEngine;
import io.entrenar.sink.schema.Migrations;
import io.entrenar.sink.write.Batch;
import io.entrenar.sink.write.EventRows;
import io.entrenar.stack.EmbeddedStack;
import io.entrenar.stack.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * End-to-end benchmark of the ClickHouse sink; prints its figures.
 * <ol>
 *   <li>Sink alone: Confluent-framed MetricBatch bytes → decode → RowBinary rows → insert into
 *       chDB through files, flushed every 1M points (what the sink does per batch, without Kafka).
 *   <li>End to end with the broker: a producer logs batches of points at a fixed rate; the sink
 *       consumes, inserts and commits; a prober measures logged → queryable lag per batch.
 *   <li>End to end, as fast as possible: points/s from the first send until all are queryable.
 * </ol>
 * Run: {@code mvn -q -B -pl benchmarks -am -DskipTests package && java --enable-native-access=ALL-UNNAMED
 * --sun-misc-unsafe-memory-access=allow -Xmx3g -cp "benchmarks/target/classes:benchmarks/target/lib/*"
 * io.entrenar.benchmarks.sink.SinkBenchmark}
 */
public final class SinkBenchmark {

    private static final int POINTS_PER_BATCH = 1000;
    private static final List<String> NAMES = List.of("loss", "accuracy", "lr", "grad_norm");

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("entrenar-sink-bench");
        try (EmbeddedStack stack = EmbeddedStack.start(new StackConfig(Map.of(
                StackConfig.DATA_DIR_CONFIG, dir.resolve("stack").toString(), StackConfig.KAFKA_PORT_CONFIG, 0,
                StackConfig.REGISTRY_PORT_CONFIG, 0, "topics.partitions", 2)));
             ChdbEngine engine = ChdbEngine.open(dir.resolve("chdb"))) {
            sinkAlone(stack, engine, dir);
            endToEndLag(stack, engine, 250_000, 20);
            endToEndLag(stack, engine, 1_000_000, 20);
            endToEndMax(stack, engine, 5_000_000);
        }
    }

    static MetricBatch batch(String run, long firstStep, long tsMicros) {
        Integer[] ids = new Integer[POINTS_PER_BATCH];
        Long[] steps = new Long[POINTS_PER_BATCH];
        Double[] values = new Double[POINTS_PER_BATCH];
        Long[] ts = new Long[POINTS_PER_BATCH];
        for (int i = 0; i < POINTS_PER_BATCH; i++) {
            ids[i] = i % NAMES.size();
            steps[i] = firstStep + i / NAMES.size();
            values[i] = Math.sin(firstStep + i);
            ts[i] = tsMicros + i;
        }
        return MetricBatch.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(run)
                .setTsMicros(Instant.EPOCH.plusNanos(tsMicros * 1000)).setLamport(firstStep).setProducerId("bench")
                .setSequence(firstStep).setNames(NAMES).setNameIds(Arrays.asList(ids)).setSteps(Arrays.asList(steps))
                .setValues(Arrays.asList(values)).setTimestampsMicros(Arrays.asList(ts)).build();
    }

    private static void sinkAlone(EmbeddedStack stack, ChdbEngine engine, Path dir) {
        String db = "bench_alone";
        engine.execute("DROP DATABASE IF EXISTS " + db);
        Migrations.apply(engine, db);
        Map<String, Object> cfg = Map.of("schema.registry.url", stack.registryUrl(), "specific.avro.reader", true);
        AvroSerializer<MetricBatch> ser = new AvroSerializer<>();
        ser.configure(cfg, false);
        AvroDeserializer<Object> de = new AvroDeserializer<>();
        de.configure(cfg, false);
        List<byte[]> encoded = new ArrayList<>();
        for (int b = 0; b < 1000; b++) {
            encoded.add(ser.serialize("entrenar.metrics.v1", batch("alone", b * 250L, 1_700_000_000_000_000L + b * 1000L)));
        }
        Path spool = dir.resolve("spool");
        spool.toFile().mkdirs();
        Batch batch = new Batch();
        System.out.println("== sink alone: decode + columns + Native insert into chDB, 1M points per insert ==");
        for (int round = 0; round < 6; round++) {
            long decodeNs = 0;
            long rowsNs = 0;
            long t0 = System.nanoTime();
            for (byte[] bytes : encoded) {
                long a = System.nanoTime();
                Object event = de.deserialize(new ConsumerRecord<>("entrenar.metrics.v1", 0, 0, null, bytes));
                long b = System.nanoTime();
                EventRows.append(event, batch);
                rowsNs += System.nanoTime() - b;
                decodeNs += b - a;
            }
            long i0 = System.nanoTime();
            batch.insert(engine, db, spool);
            long t1 = System.nanoTime();
            double points = encoded.size() * (double) POINTS_PER_BATCH;
            System.out.printf("round %d%s: %,.0f points/s overall (decode %,.0f/s, rows %,.0f/s, insert %,.0f/s)%n", round,
                    round == 0 ? " (warm-up)" : "", points / ((t1 - t0) / 1e9), points / (decodeNs / 1e9),
                    points / (rowsNs / 1e9), points / ((t1 - i0) / 1e9));
        }
        System.out.println("rows stored: " + engine.rows("SELECT count() FROM " + db + ".metric_points").single());
    }

    private static SinkApp sink(EmbeddedStack stack, ChdbEngine engine, String db, String group) {
        engine.execute("DROP DATABASE IF EXISTS " + db);
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(SinkConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        cfg.put(SinkConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        cfg.put(SinkConfig.DATABASE_CONFIG, db);
        cfg.put(SinkConfig.GROUP_ID_CONFIG, group);
        cfg.put(SinkConfig.TOPICS_CONFIG, "entrenar.metrics.v1");
        cfg.put(SinkConfig.STATUS_INTERVAL_MS_CONFIG, 0L);
        cfg.put("consumer.auto.offset.reset", "latest");
        cfg.put("consumer.fetch.max.bytes", 64 << 20);
        cfg.put("consumer.max.partition.fetch.bytes", 16 << 20);
        cfg.put("consumer.max.poll.records", 5000);
        return SinkApp.start(new SinkConfig(cfg), engine);
    }

    private static KafkaProducer<String, MetricBatch> producer(EmbeddedStack stack) {
        AvroSerializer<MetricBatch> ser = new AvroSerializer<>();
        ser.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
        return stack.clients("entrenar-bench").producer("metrics", Map.of("linger.ms", 5, "batch.size", 1 << 20,
                "compression.type", "lz4", "acks", "all"), new StringSerializer(), ser);
    }

    /** Points logged at {@code rate} per second for {@code seconds}; lag from send to visible in a query. */
    private static void endToEndLag(EmbeddedStack stack, ChdbEngine engine, int rate, int seconds) throws Exception {
        String db = "bench_lag_" + rate;
        String run = "lag-" + rate;
        int batches = rate / POINTS_PER_BATCH * seconds;
        long[] sentNanos = new long[batches];
        long[] visibleNanos = new long[batches];
        try (SinkApp app = sink(stack, engine, db, "bench-" + run);
             KafkaProducer<String, MetricBatch> producer = producer(stack)) {
            Thread.sleep(3000); // partitions assigned, positioned at the end
            Thread prober = new Thread(() -> probe(engine, db, run, visibleNanos), "prober");
            prober.start();
            long start = System.nanoTime();
            long intervalNs = 1_000_000_000L * POINTS_PER_BATCH / rate;
            for (int b = 0; b < batches; b++) {
                long due = start + b * intervalNs;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    // Parking, not spinning: a spinning producer would take one of the two cores from the pipeline.
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                sentNanos[b] = System.nanoTime();
                producer.send(new ProducerRecord<>("entrenar.metrics.v1", run, batch(run, b * 250L, System.currentTimeMillis() * 1000)));
            }
            producer.flush();
            prober.join(120_000);
        }
        long[] lag = new long[batches];
        int n = 0;
        for (int b = 0; b < batches; b++) {
            if (visibleNanos[b] > 0) {
                lag[n++] = visibleNanos[b] - sentNanos[b];
            }
        }
        Arrays.sort(lag, 0, n);
        System.out.printf("== end to end at %,d points/s for %d s: logged -> queryable lag p50 %d ms, p95 %d ms, max %d ms "
                + "(%d of %d batches seen) ==%n", rate, seconds, pct(lag, n, 0.50), pct(lag, n, 0.95), pct(lag, n, 1.0), n, batches);
    }

    private static long pct(long[] sorted, int n, double p) {
        if (n == 0) {
            return -1;
        }
        return sorted[Math.min(n - 1, (int) Math.ceil(p * n) - 1)] / 1_000_000;
    }

    private static void probe(ChdbEngine engine, String db, String run, long[] visibleNanos) {
        int seen = 0;
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (seen < visibleNanos.length && System.nanoTime() < deadline) {
            long count;
            try {
                count = Long.parseLong(engine.rows("SELECT count() FROM " + db + ".metric_points WHERE run_id = '" + run + "'").single());
            } catch (RuntimeException notYet) {
                count = 0;
            }
            long now = System.nanoTime();
            int visible = (int) Math.min(visibleNanos.length, count / POINTS_PER_BATCH);
            for (; seen < visible; seen++) {
                visibleNanos[seen] = now;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** As fast as the producer can log: points/s from the first send until every point is queryable. */
    private static void endToEndMax(EmbeddedStack stack, ChdbEngine engine, int points) throws Exception {
        String db = "bench_max";
        String run = "max";
        int batches = points / POINTS_PER_BATCH;
        List<MetricBatch> prepared = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            prepared.add(batch(run, b * 250L, 1_700_000_000_000_000L + b * 1000L));
        }
        try (SinkApp app = sink(stack, engine, db, "bench-max");
             KafkaProducer<String, MetricBatch> producer = producer(stack)) {
            Thread.sleep(3000);
            long start = System.nanoTime();
            for (MetricBatch b : prepared) {
                producer.send(new ProducerRecord<>("entrenar.metrics.v1", run, b));
            }
            producer.flush();
            long sent = System.nanoTime();
            long[] visible = new long[batches];
            probe(engine, db, run, visible);
            long end = visible[batches - 1];
            System.out.printf("== end to end, as fast as possible: %,d points logged in %.2f s (%,.0f points/s); all "
                    + "queryable after %.2f s: %,.0f points/s end to end ==%n", points, (sent - start) / 1e9,
                    points / ((sent - start) / 1e9), (end - start) / 1e9, points / ((end - start) / 1e9));
        }
    }
}
