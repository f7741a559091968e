package io.entrenar.stack.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.entrenar.config.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's durable store: a compacted one-partition topic. Every change is written and
 * acknowledged there before it is applied in memory, so memory never holds what the log lacks.
 * Not thread-safe: the service calls {@link #append} under its writer lock.
 */
final class SchemaLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaLog.class);

    private final TopicPartition partition;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Duration timeout;
    private final Consumer<LogRecord> applier;
    // After a failed write we cannot tell whether it reached the log; reading up to the end settles it.
    private boolean unsure;

    private SchemaLog(String topic, KafkaClients clients, Duration timeout, Consumer<LogRecord> applier) {
        this.partition = new TopicPartition(topic, 0);
        this.timeout = timeout;
        this.applier = applier;
        Map<String, Object> producerProps = new HashMap<>();
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        producerProps.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        this.producer = clients.producer("writer", producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> consumerProps = new HashMap<>();
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = clients.consumer("reader", consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /**
     * Creates the topic if missing and replays it into {@code applier} up to its current end.
     *
     * @param applier receives every record read, and every record after it is written
     */
    static SchemaLog open(SchemaRegistryServerConfig config, Consumer<LogRecord> applier) {
        // Client ids schema-registry-writer, -reader, -setup, as before the factory.
        KafkaClients clients = new KafkaClients(config.bootstrapServers(), Map.of(), "schema-registry");
        Duration timeout = config.kafkaStoreTimeout();
        Duration initTimeout = config.kafkaStoreInitTimeout();
        ensureTopic(clients, config.topic(), config.topicReplicationFactor(), initTimeout);
        SchemaLog log = new SchemaLog(config.topic(), clients, timeout, applier);
        try {
            long records = log.readToEnd(initTimeout);
            LOG.info("Read {} records of {} into the schema registry", records, config.topic());
            return log;
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /** Writes {@code record}, waits for the broker's acknowledgement, then applies it. */
    void append(LogRecord record) {
        if (unsure) {
            readToEnd(timeout);
            unsure = false;
        }
        LogCodec.Encoded encoded = LogCodec.encode(record);
        try {
            producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), encoded.key(), encoded.value()))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unsure = true;
            throw ApiError.store("Interrupted while writing to " + partition.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            unsure = true;
            throw ApiError.store("Error while writing to the Kafka store " + partition.topic(),
                    e instanceof ExecutionException ? e.getCause() : e);
        }
        applier.accept(record);
    }

    /** @return how many records were read */
    private long readToEnd(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        long end = consumer.endOffsets(List.of(partition), within).get(partition);
        long read = 0;
        while (consumer.position(partition, within) < end) {
            if (System.nanoTime() > deadline) {
                throw ApiError.store("Timed out reading " + partition.topic() + " up to offset " + end,
                        new TimeoutException("position " + consumer.position(partition)));
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                read++;
                if (r.key() == null) {
                    continue;
                }
                LogRecord decoded = LogCodec.decode(r.key(), r.value());
                if (decoded != null) {
                    applier.accept(decoded);
                }
            }
        }
        return read;
    }

    private static void ensureTopic(KafkaClients clients, String topic, short replicationFactor, Duration within) {
        try (Admin admin = clients.admin("setup", Map.of())) {
            if (admin.listTopics().names().get(within.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
                return;
            }
            NewTopic newTopic = new NewTopic(topic, 1, replicationFactor)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(newTopic)).all().get(within.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Created the schemas topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the schemas topic " + topic + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the schemas topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating the schemas topic " + topic + " at "
                    + clients.bootstrapServers(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
