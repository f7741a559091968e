package io.entrenar.tracking;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.entrenar.events.ControlCommand;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads entrenar.control.v1 from the end (commands issued while this process lives) on a daemon
 * thread and hands each command to the live run it names. No consumer group: every process sees
 * every command and keeps those of its own runs. Undecodable records are logged and skipped.
 */
final class ControlListener implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlListener.class);
    /** Commands are handed over as they arrive; the timeout only bounds an idle poll. */
    private static final Duration POLL = Duration.ofSeconds(5);

    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroDeserializer<ControlCommand> values;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final LamportClock lamport;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean ready;

    ControlListener(TrackerConfig config, SchemaRegistryClient registry, LamportClock lamport) {
        this.lamport = lamport;
        this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", config.bootstrapServers(),
                "client.id", "entrenar-control-" + UUID.randomUUID(), "enable.auto.commit", false,
                "auto.offset.reset", "latest",
                // the broker answers a fetch as soon as a command arrives; an idle listener then costs
                // one round trip per 5 s instead of two a second (this thread shares the training's cores)
                "fetch.max.wait.ms", (int) POLL.toMillis()), new StringDeserializer(), new ByteArrayDeserializer());
        this.values = new AvroDeserializer<>(registry, Map.of("specific.avro.reader", true), false);
        this.thread = new Thread(this, "entrenar-control");
        thread.setDaemon(true);
        thread.start();
    }

    void register(Run run) {
        runs.put(run.id(), run);
    }

    void unregister(Run run) {
        runs.remove(run.id());
    }

    /** True once the listener is positioned at the end of every partition. */
    boolean ready() {
        return ready;
    }

    @Override
    public void run() {
        try {
            while (running && !ready) {
                try {
                    List<TopicPartition> parts = consumer.partitionsFor(Topic.CONTROL.topicName(), Duration.ofSeconds(2)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                    if (!parts.isEmpty()) {
                        consumer.assign(parts);
                        consumer.seekToEnd(parts);
                        parts.forEach(consumer::position);
                        ready = true;
                    }
                } catch (RuntimeException e) {
                    Thread.sleep(500);
                }
            }
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    Run run = r.key() == null ? null : runs.get(r.key());
                    if (run == null) {
                        continue;
                    }
                    try {
                        ControlCommand c = values.deserialize(r);
                        lamport.observe(c.getLamport());
                        run.control(c);
                    } catch (RuntimeException e) {
                        LOG.warn("entrenar: ignoring an undecodable control command at {}-{}@{}: {}", r.topic(), r.partition(),
                                r.offset(), e.toString());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("entrenar: control listener stopped: {}", e.toString());
        } finally {
            // no group and no offsets to commit: nothing to wait for, and the JVM may be exiting
            consumer.close(Duration.ZERO);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
