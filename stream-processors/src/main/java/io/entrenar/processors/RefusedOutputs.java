package io.entrenar.processors;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Output records the broker refused (a timestamp outside its limits, a record too large), by topic,
 * key and timestamp. Under exactly-once a refused write dooms the task's whole transaction, so the
 * record cannot simply be skipped: the task restarts from its last commit, produces the same record
 * again, and {@link OutputGuard} finds it here and sends it to the dead-letter topic instead.
 * Shared by the production exception handler (producer I/O thread) and the stream threads.
 */
final class RefusedOutputs {
    /** Config key under which the app hands its instance to the handler Kafka Streams instantiates. */
    static final String CONFIG = "entrenar.dlq.refused.outputs";
    /** Far more than can be refused between two successful commits; old ones have been dead-lettered already. */
    private static final int CAPACITY = 10_000;

    record Output(String topic, String key, long timestamp) {
    }

    /** An input record and the timestamp of an output of it that the broker refused. */
    record Source(String topic, int partition, long offset, long timestamp) {
    }

    private final Map<Output, String> reasons = new ConcurrentHashMap<>();
    private final Queue<Output> order = new ConcurrentLinkedQueue<>();
    private final Map<Source, String> sources = new ConcurrentHashMap<>();
    private final Queue<Source> sourceOrder = new ConcurrentLinkedQueue<>();

    void add(ProducerRecord<byte[], byte[]> record, String reason) {
        Output output = new Output(record.topic(), record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                record.timestamp() == null ? -1 : record.timestamp());
        remember(reasons, order, output, reason);
    }

    /** Adds {@code key}, forgetting the oldest keys beyond {@link #CAPACITY}. */
    private static <K> void remember(Map<K, String> reasons, Queue<K> order, K key, String reason) {
        if (reasons.put(key, reason) == null) {
            order.add(key);
            while (reasons.size() > CAPACITY) {
                K oldest = order.poll();
                if (oldest == null) {
                    break;
                }
                reasons.remove(oldest);
            }
        }
    }

    /** Nothing refused so far: the common case, checked before anything is looked up. */
    boolean isEmpty() {
        return reasons.isEmpty();
    }

    /** Why the broker refused this output, or null if it did not. */
    String reason(String topic, String key, long timestamp) {
        return reasons.isEmpty() ? null : reasons.get(new Output(topic, key, timestamp));
    }

    /**
     * Marks the other outputs of {@code source} with the refused timestamp as refused too. A task
     * fails on its first refused write; without this, each further output of the same bad input
     * (its stats, its ETA, ...) would cost one more restart of the task.
     */
    void refusedAlongside(Source source, String reason) {
        remember(sources, sourceOrder, source, reason);
    }

    /** Why an output of this input with this timestamp is held back, or null. */
    String reason(Source source) {
        return sources.isEmpty() ? null : sources.get(source);
    }
}
