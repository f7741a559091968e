package io.entrenar.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;

import io.entrenar.events.Alert;
import io.entrenar.events.MetricBatch;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metric points and alerts as they arrive, fanned out to the open pages. One consumer for the whole
 * dashboard, assigned every partition of {@code entrenar.metrics.v1} and {@code entrenar.alerts.v1}
 * and starting at their end: no consumer group (a dashboard has nothing to commit and must not take
 * partitions away from another instance), and a page only wants what happens from now on; the past
 * comes from ClickHouse.
 */
final class LiveFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroDeserializer<Object> deserializer;
    private final Map<String, Set<LiveClient>> byRun = new ConcurrentHashMap<>();
    private final Set<LiveClient> alertClients = new CopyOnWriteArraySet<>();
    private final Thread thread;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong points = new AtomicLong();
    private final AtomicLong alerts = new AtomicLong();
    private final AtomicLong badRecords = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean positioned;
    private volatile Throwable failure;

    private LiveFeed(KafkaConsumer<byte[], byte[]> consumer, AvroDeserializer<Object> deserializer) {
        this.consumer = consumer;
        this.deserializer = deserializer;
        this.thread = Thread.ofPlatform().name("entrenar-dashboard-live").daemon().unstarted(this::run);
    }

    /**
     * Starts the feed's consumer ({@code entrenar-dashboard-live}) with the dashboard's servers and
     * security settings, and its decoder with the dashboard's registry settings: on a secured cluster
     * a consumer without them would find no partitions and every page would wait for points forever.
     */
    static LiveFeed start(DashboardConfig config) {
        Map<String, Object> registry = new HashMap<>(config.registryClientConfigs());
        registry.put("specific.avro.reader", true);
        AvroDeserializer<Object> deserializer = new AvroDeserializer<>();
        deserializer.configure(registry, false);
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            consumer = config.kafkaClients().consumer("live", Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            deserializer.close();
            throw e;
        }
        LiveFeed feed = new LiveFeed(consumer, deserializer);
        feed.thread.start();
        return feed;
    }

    void subscribeRun(String runId, LiveClient client) {
        byRun.computeIfAbsent(runId, k -> new CopyOnWriteArraySet<>()).add(client);
    }

    void subscribeAlerts(LiveClient client) {
        alertClients.add(client);
    }

    void unsubscribe(LiveClient client) {
        alertClients.remove(client);
        byRun.values().forEach(set -> set.remove(client));
        byRun.values().removeIf(Set::isEmpty);
    }

    int clients() {
        Set<LiveClient> all = new HashSet<>(alertClients);
        byRun.values().forEach(all::addAll);
        return all.size();
    }

    long batches() {
        return batches.get();
    }

    long points() {
        return points.get();
    }

    long alerts() {
        return alerts.get();
    }

    long badRecords() {
        return badRecords.get();
    }

    /** Null while the consumer runs, else why it stopped. */
    String check() {
        if (!thread.isAlive()) {
            return "the live consumer stopped: " + failure;
        }
        return positioned ? null : "the live consumer has not found the end of the topics yet";
    }

    private void run() {
        long nextRefresh = 0;
        Set<TopicPartition> assigned = new HashSet<>();
        try {
            while (running) {
                if (System.nanoTime() >= nextRefresh) {
                    try {
                        assignNewPartitions(assigned);
                        nextRefresh = System.nanoTime() + PARTITION_REFRESH.toNanos();
                    } catch (org.apache.kafka.common.errors.RetriableException e) {
                        // Kafka not reachable (yet): the pages still get history; try again shortly.
                        LOG.warn("dashboard live feed: cannot read the topics' partitions yet ({}); retrying", e.toString());
                        nextRefresh = System.nanoTime() + RETRY.toNanos();
                    }
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        dispatch(record);
                    }
                } catch (RecordDeserializationException e) {
                    // Never stall the feed on one bad record: the sink sends it to the dead-letter topic.
                    badRecords.incrementAndGet();
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("dashboard live feed stopped", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    private void assignNewPartitions(Set<TopicPartition> assigned) {
        List<TopicPartition> all = new ArrayList<>();
        for (Topic topic : List.of(Topic.METRICS, Topic.ALERTS)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(10));
            if (infos != null) {
                infos.forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        List<TopicPartition> fresh = all.stream().filter(tp -> !assigned.contains(tp)).toList();
        if (fresh.isEmpty()) {
            positioned = !assigned.isEmpty();
            return;
        }
        consumer.assign(all);
        // Only partitions new to this consumer start at the end; the others keep their position.
        consumer.seekToEnd(fresh);
        fresh.forEach(consumer::position); // resolve "end" now, not at the first poll after points arrived
        assigned.addAll(fresh);
        positioned = true;
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        Object value;
        try {
            value = deserializer.deserialize(record);
        } catch (RuntimeException e) {
            badRecords.incrementAndGet();
            return;
        }
        if (value instanceof MetricBatch batch) {
            String problem = io.entrenar.schemas.MetricBatchCheck.problem(batch);
            if (problem != null) {
                // a batch whose columns disagree would throw on a page's stream: a bad record, skipped and counted
                if (badRecords.incrementAndGet() == 1) {
                    LOG.warn("live feed: skipping an inconsistent record at {}-{}@{}: {} (later ones are only counted)",
                            record.topic(), record.partition(), record.offset(), problem);
                }
                return;
            }
            batches.incrementAndGet();
            points.addAndGet(batch.getSteps().size());
            Set<LiveClient> clients = byRun.get(batch.getRunId());
            if (clients != null) {
                clients.forEach(c -> c.points(batch));
            }
        } else if (value instanceof Alert alert) {
            alerts.incrementAndGet();
            String json = alertJson(alert);
            alertClients.forEach(c -> c.alert(alert.getRunId(), json));
            Set<LiveClient> clients = byRun.get(alert.getRunId());
            if (clients != null) {
                clients.forEach(c -> c.alert(alert.getRunId(), json));
            }
        }
    }

    static String alertJson(Alert a) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"run_id\":").append(Json.quote(a.getRunId()));
        b.append(",\"incident_id\":").append(Json.quote(a.getIncidentId()));
        b.append(",\"state\":").append(Json.quote(String.valueOf(a.getState())));
        b.append(",\"rule\":").append(Json.quote(a.getRule()));
        b.append(",\"severity\":").append(Json.quote(String.valueOf(a.getSeverity())));
        b.append(",\"metric\":").append(a.getMetric() == null ? "null" : Json.quote(a.getMetric()));
        b.append(",\"step\":").append(a.getStep() == null ? "null" : a.getStep().toString());
        b.append(",\"message\":").append(Json.quote(a.getMessage()));
        b.append(",\"suggested_action\":").append(a.getSuggestedAction() == null ? "null" : Json.quote(a.getSuggestedAction()));
        b.append(",\"fired_ms\":").append(a.getFiredAtMicros() / 1000);
        b.append(",\"updated_ms\":").append(a.getTsMicros().toEpochMilli());
        return b.append('}').toString();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deserializer.close();
    }
}
