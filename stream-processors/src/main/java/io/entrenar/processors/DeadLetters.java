package io.entrenar.processors;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import io.entrenar.schemas.Topic;
import io.entrenar.serde.WireFormatException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad records never stop the topology: undecodable input and records whose processing throws go
 * to {@code entrenar.dlq.v1} with the original key and value bytes and the reason in headers
 * ({@value #REASON}, {@value #STAGE}, {@value #SOURCE_TOPIC}, {@value #SOURCE_PARTITION},
 * {@value #SOURCE_OFFSET}, {@value #EXCEPTION}), and are counted. Kafka Streams writes the dead
 * letters in the same transaction as the task's output. Events from a clock far ahead
 * ({@link EventTimeGate}) are dead letters of stage {@value #STAGE_EVENT_TIME} with the offending
 * time in {@value #TIMESTAMP} and the limit in {@value #LIMIT}. An output the broker refuses cannot
 * be skipped under exactly-once (the transaction is lost with it): {@link Production} remembers it
 * and lets the task restart, and on the retry {@link OutputGuard} writes it here instead, stage
 * {@value #STAGE_PRODUCTION}, with {@value #TARGET_TOPIC} and {@value #TIMESTAMP}.
 */
final class DeadLetters {
    static final String REASON = "entrenar.dlq.reason";
    static final String STAGE = "entrenar.dlq.stage";
    static final String SOURCE_TOPIC = "entrenar.dlq.source.topic";
    static final String SOURCE_PARTITION = "entrenar.dlq.source.partition";
    static final String SOURCE_OFFSET = "entrenar.dlq.source.offset";
    static final String EXCEPTION = "entrenar.dlq.exception";
    static final String PROCESSOR = "entrenar.dlq.processor";
    /** The refused Kafka timestamp (ms) or event time (µs, stage event-time). */
    static final String TIMESTAMP = "entrenar.dlq.timestamp";
    /** The limit an event time broke, e.g. {@code event.time.max.ahead.ms=3300000}. */
    static final String LIMIT = "entrenar.dlq.limit";
    /** The topic a refused output was meant for. */
    static final String TARGET_TOPIC = "entrenar.dlq.target.topic";
    static final String STAGE_EVENT_TIME = "event-time";
    static final String STAGE_PRODUCTION = "production";
    /** Config key under which the app hands its {@link Counts} to the handlers Kafka Streams instantiates. */
    static final String COUNTS_CONFIG = "entrenar.dlq.counts";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {
    }

    /** Dead letters written by this app instance. */
    static final class Counts {
        final LongAdder deserialization = new LongAdder();
        final LongAdder processing = new LongAdder();
        final LongAdder eventTime = new LongAdder();
        final LongAdder production = new LongAdder();
        /** Writes the broker refused; each costs one restart of the task before its record is dead-lettered. */
        final LongAdder brokerRefusals = new LongAdder();
        /** Records read again because the schema registry did not answer (never dead-lettered). */
        final LongAdder registryRetries = new LongAdder();

        long total() {
            return deserialization.sum() + processing.sum() + eventTime.sum() + production.sum();
        }
    }

    /**
     * A transient fault of the registry (unreachable, 5xx), as opposed to bytes that are wrong or a
     * schema id the registry does not know, which {@link WireFormatException} reports.
     */
    static boolean registryAway(Throwable e) {
        if (e instanceof WireFormatException) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.entrenar.registry.SchemaRegistryException && !(t instanceof io.entrenar.registry.SchemaNotFoundException)) {
                return true;
            }
        }
        return false;
    }

    private static RefusedOutputs refusedFrom(Map<String, ?> configs) {
        Object refused = configs.get(RefusedOutputs.CONFIG);
        return refused instanceof RefusedOutputs r ? r : new RefusedOutputs();
    }

    private static Counts countsFrom(Map<String, ?> configs) {
        Object counts = configs.get(COUNTS_CONFIG);
        return counts instanceof Counts c ? c : new Counts();
    }

    static ProducerRecord<byte[], byte[]> letter(String stage, ErrorHandlerContext context, byte[] key, byte[] value, Exception e) {
        Headers headers = new RecordHeaders();
        String reason = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        if (e instanceof WireFormatException wire) {
            reason = wire.problem() + ": " + reason;
        }
        headers.add(REASON, utf8(reason));
        headers.add(STAGE, utf8(stage));
        headers.add(SOURCE_TOPIC, utf8(String.valueOf(context.topic())));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(context.partition())));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(context.offset())));
        headers.add(EXCEPTION, utf8(e.getClass().getName()));
        headers.add(PROCESSOR, utf8(String.valueOf(context.processorNodeId())));
        return new ProducerRecord<>(Topic.DLQ.topicName(), null, key, value, headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Undecodable input (bad framing, unknown schema id, corrupt Avro) is dead-lettered. A record that
     * could not be decoded because the schema registry did not answer is not bad: it fails the stream
     * thread after a pause, the thread is replaced and reads the record again from the last commit,
     * until the registry is back, so a registry outage delays records and loses none.
     */
    public static final class Deserialization implements DeserializationExceptionHandler {
        /** Between two attempts while the registry is away: bounds the restarts and the log. */
        static final java.time.Duration REGISTRY_RETRY_PAUSE = java.time.Duration.ofSeconds(1);
        private Counts counts = new Counts();

        @Override
        public void configure(Map<String, ?> configs) {
            counts = countsFrom(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
            if (registryAway(exception)) {
                counts.registryRetries.increment();
                LOG.warn("schema registry unavailable while decoding {}-{}@{} ({}); retrying the record in {} ms, not dead-lettering it",
                        record.topic(), record.partition(), record.offset(), exception.getMessage(), REGISTRY_RETRY_PAUSE.toMillis());
                try {
                    Thread.sleep(REGISTRY_RETRY_PAUSE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Response.fail();
            }
            counts.deserialization.increment();
            LOG.warn("dead letter: cannot decode {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), exception.getMessage());
            return Response.resume(List.of(letter("deserialization", context, record.key(), record.value(), exception)));
        }
    }

    /** A decoded record that a processor rejected (inconsistent columns, impossible values). */
    public static final class Processing implements ProcessingExceptionHandler {
        private Counts counts = new Counts();

        @Override
        public void configure(Map<String, ?> configs) {
            counts = countsFrom(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            if (fromKafka(exception)) {
                // Not this record's fault: the task's transaction is lost (or the task moved), and dead letters written now would be lost with it.
                return Response.fail();
            }
            if (exception instanceof EventTimeGate.OutOfRange outOfRange) {
                counts.eventTime.increment();
                LOG.warn("dead letter: event time out of range in {}-{}@{}: {}", context.topic(), context.partition(), context.offset(),
                        exception.getMessage());
                ProducerRecord<byte[], byte[]> letter = letter(STAGE_EVENT_TIME, context, context.sourceRawKey(), context.sourceRawValue(), exception);
                letter.headers().add(TIMESTAMP, utf8(Long.toString(outOfRange.eventTimeMicros)));
                letter.headers().add(LIMIT, utf8(ProcessorsConfig.EVENT_TIME_MAX_AHEAD_MS_CONFIG + "=" + outOfRange.limit.toMillis()));
                return Response.resume(List.of(letter));
            }
            counts.processing.increment();
            LOG.warn("dead letter: {} failed on {}-{}@{}: {}", context.processorNodeId(), context.topic(), context.partition(),
                    context.offset(), exception.getMessage());
            return Response.resume(List.of(letter("processing", context, context.sourceRawKey(), context.sourceRawValue(), exception)));
        }
    }

    /** A failed write or a fenced producer surfacing through a processor, as opposed to a processor rejecting its record. */
    static boolean fromKafka(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof ApiException || t instanceof TaskMigratedException || t instanceof TaskCorruptedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The safety net for outputs the broker refuses. Under exactly-once the task's transaction is lost
     * with the refused write, so the task fails and restarts from its last commit; remembering the
     * record lets {@link OutputGuard} dead-letter it on the retry, so the task gets past it instead of
     * failing on it forever. Until the task fails, every failed write of the doomed transaction is let
     * through (resume): each is seen here, so all refused records of the transaction are remembered
     * at once, not one per restart. Without exactly-once a failed write fails the task (Kafka Streams'
     * default), which retries it from the last commit too.
     */
    public static final class Production implements ProductionExceptionHandler {
        private Counts counts = new Counts();
        private RefusedOutputs refused = new RefusedOutputs();
        private boolean exactlyOnce = true;

        @Override
        public void configure(Map<String, ?> configs) {
            counts = countsFrom(configs);
            refused = refusedFrom(configs);
            exactlyOnce = !StreamsConfig.AT_LEAST_ONCE.equals(String.valueOf(configs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
        }

        @Override
        public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
            if (exception instanceof RetriableException) {
                return Response.retry();
            }
            if (refusedItself(record, exception) && OUTPUT_TOPICS.contains(record.topic())) {
                counts.brokerRefusals.increment();
                String reason = "broker refused the record for " + record.topic() + " with timestamp " + record.timestamp() + " ("
                        + Instant.ofEpochMilli(record.timestamp()) + "): " + exception.getClass().getSimpleName() + ": " + exception.getMessage();
                refused.add(record, reason);
                LOG.warn("{}; task {} restarts from its last commit and sends this record to {} instead", reason, context.taskId(), Topic.DLQ.topicName());
            } else {
                LOG.error("cannot write to {} (task {}): {}", record.topic(), context.taskId(), exception.toString());
            }
            return exactlyOnce ? Response.resume() : Response.fail();
        }

        /**
         * Whether the broker refused this very record. When it refuses one record, the others of its
         * batch fail with a generic KafkaException, and the transaction's later batches with the same
         * InvalidTimestampException but without the per-record message that names the timestamp.
         */
        private static boolean refusedItself(ProducerRecord<byte[], byte[]> record, Exception exception) {
            return switch (exception) {
                case InvalidTimestampException e -> record.timestamp() != null && e.getMessage() != null
                        && e.getMessage().contains("Timestamp " + record.timestamp() + " of message");
                case RecordTooLargeException e -> true;
                default -> false;
            };
        }
    }

    /** The topics behind {@link OutputGuard}s: a record refused anywhere else (changelogs, repartitions) has no way around. */
    private static final Set<String> OUTPUT_TOPICS = Set.of(Topic.METRIC_STATS.topicName(), Topic.ALERTS.topicName(),
            Topic.CONTROL.topicName(), Topic.ETA.topicName(), Topic.LEADERBOARD.topicName());
}
