package io.entrenar.sink;

import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.sink.engine.Engine;
import io.entrenar.stack.EmbeddedStack;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test helpers: produce events as training and the processors do, start sinks, wait for results. */
public final class Pipeline {

    private Pipeline() {
    }

    public static Topic topicOf(Object event) {
        for (Topic t : Topic.values()) {
            if (t.valueClass().isPresent() && t.valueClass().get().isInstance(event)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no topic for " + event.getClass());
    }

    public static void produce(EmbeddedStack stack, List<? extends SpecificRecord> events) {
        produce(stack, null, events);
    }

    /** Produces to {@code topic}, or to each event's catalogue topic when it is null. */
    public static void produce(EmbeddedStack stack, String topic, List<? extends SpecificRecord> events) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", stack.bootstrapServers());
        cfg.put("schema.registry.url", stack.registryUrl());
        cfg.put("acks", "all");
        try (KafkaProducer<String, Object> p = new KafkaProducer<>(cfg, new StringSerializer(), serializer(cfg))) {
            for (SpecificRecord e : events) {
                String runId = String.valueOf(e.get(e.getSchema().getField("run_id").pos()));
                p.send(new ProducerRecord<>(topic != null ? topic : topicOf(e).topicName(), runId, e));
            }
            p.flush();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static org.apache.kafka.common.serialization.Serializer<Object> serializer(Map<String, Object> cfg) {
        AvroSerializer s = new AvroSerializer();
        s.configure(cfg, false);
        return s;
    }

    public static void produceRaw(EmbeddedStack stack, String topic, String key, byte[] value) {
        Map<String, Object> cfg = Map.of("bootstrap.servers", stack.bootstrapServers(), "acks", "all");
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(cfg, new ByteArraySerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value));
            p.flush();
        }
    }

    public static SinkConfig config(EmbeddedStack stack, String database, String group, Map<String, Object> extra) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(SinkConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        cfg.put(SinkConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        cfg.put(SinkConfig.DATABASE_CONFIG, database);
        cfg.put(SinkConfig.GROUP_ID_CONFIG, group);
        cfg.put(SinkConfig.BATCH_MAX_MS_CONFIG, 100L);
        cfg.put(SinkConfig.STATUS_INTERVAL_MS_CONFIG, 0L);
        cfg.put("ops.port", 0);
        cfg.putAll(extra);
        return new SinkConfig(cfg);
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    public static long count(Engine engine, String sql) {
        return Long.parseLong(engine.rows(sql).single());
    }
}
