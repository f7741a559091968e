package io.entrenar.sink;

import io.entrenar.config.KafkaClients;
import io.entrenar.ops.Metrics;
import io.entrenar.ops.OpsConfig;
import io.entrenar.ops.OpsServer;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.serde.WireFormatException;
import io.entrenar.sink.engine.ChdbEngine;
import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.JdbcEngine;
import io.entrenar.sink.http.ClickHouseHttpConfig;
import io.entrenar.sink.http.ClickHouseHttpServer;
import io.entrenar.sink.schema.Migrations;
import io.entrenar.sink.write.Batch;
import io.entrenar.sink.write.EventRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink: consumes every data topic, decodes each record, batches rows by count, bytes and time,
 * inserts them, and only then commits the offsets. A crash between insert and commit re-delivers
 * the batch; the tables' event_id keys make the second copy invisible to queries, so
 * at-least-once delivery is exactly-once in effect. Records that cannot be decoded or stored go to
 * the dead-letter topic with the reason in headers and never stop the sink.
 */
public final class SinkApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkApp.class);
    private static final Duration MAX_POLL = Duration.ofMillis(100);

    private final SinkConfig config;
    private final Engine engine;
    private final boolean ownsEngine;
    private ClickHouseHttpServer httpServer;
    private OpsServer opsServer;
    private final String database;
    private final Path spoolDir;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroDeserializer<Object> deserializer;
    private final DeadLetters deadLetters;
    /** Filled by the consumer thread while {@link #spare} (the previous batch) is being inserted. */
    private Batch batch = new Batch();
    private Batch spare = new Batch();
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    /** One insert at a time, off the consumer thread: decoding the next batch overlaps inserting this one. */
    private final ExecutorService inserter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "entrenar-sink-insert");
        t.setDaemon(true);
        return t;
    });
    private Future<?> inFlight;
    private Map<TopicPartition, OffsetAndMetadata> inFlightOffsets = Map.of();
    private int inFlightRows;
    private long inFlightOldestMicros;
    private final int maxRows;
    private final long maxBytes;
    private final long maxMillis;
    private final long statusIntervalMs;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Throwable failure;

    private long batchStartedNanos = -1;
    private volatile long recordsConsumed;
    private volatile long rowsInserted;
    private volatile long batchesInserted;
    private volatile long deadLetterCount;
    private volatile double rowsPerSecond;
    private volatile long lag = -1;
    private volatile boolean assigned;
    private volatile long lastCommitMillis;
    private volatile long lastBatchAgeMillis;
    private long oldestEventMicros = Long.MAX_VALUE;
    private long statusRows;
    private long statusNanos = System.nanoTime();

    private SinkApp(SinkConfig config, Engine engine, boolean ownsEngine) {
        this.config = config;
        this.engine = engine;
        this.ownsEngine = ownsEngine;
        this.database = config.database();
        this.maxRows = config.getInt(SinkConfig.BATCH_MAX_ROWS_CONFIG);
        this.maxBytes = config.getLong(SinkConfig.BATCH_MAX_BYTES_CONFIG);
        this.maxMillis = config.getLong(SinkConfig.BATCH_MAX_MS_CONFIG);
        this.statusIntervalMs = config.getLong(SinkConfig.STATUS_INTERVAL_MS_CONFIG);
        this.spoolDir = spoolDir(config);
        Migrations.apply(engine, database);

        // Every client with the sink's servers and security settings; consumer.* and producer.* tune one client each.
        KafkaClients clients = KafkaClients.of(config, "entrenar-sink");
        Map<String, Object> consumerConfig = new HashMap<>();
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.getString(SinkConfig.GROUP_ID_CONFIG));
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The stream processors write transactionally: never store records of aborted transactions.
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        consumerConfig.putAll(config.originalsWithPrefix(SinkConfig.CONSUMER_PREFIX));

        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.putAll(config.originalsWithPrefix(SinkConfig.PRODUCER_PREFIX));

        Map<String, Object> serdeConfig = new HashMap<>(config.originals());
        serdeConfig.put("specific.avro.reader", true);
        this.deserializer = new AvroDeserializer<>();
        this.deserializer.configure(serdeConfig, false);
        this.deadLetters = new DeadLetters(clients.producer("dlq", producerConfig, new ByteArraySerializer(), new ByteArraySerializer()),
                config.getString(SinkConfig.DLQ_TOPIC_CONFIG));
        this.consumer = clients.consumer("consumer", consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "entrenar-sink");
    }

    /** Opens the engine the config names (and closes it on {@link #close()}), migrates, starts consuming. */
    public static SinkApp start(SinkConfig config) {
        Engine engine = openEngine(config);
        try {
            return start(config, engine, true);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** Starts on an engine owned by the caller (e.g. the embedded stack's chDB), which stays open on close. */
    public static SinkApp start(SinkConfig config, Engine engine) {
        return start(config, engine, false);
    }

    private static SinkApp start(SinkConfig config, Engine engine, boolean owns) {
        SinkApp app = new SinkApp(config, engine, owns);
        if (owns && engine instanceof ChdbEngine chdb && config.getBoolean(SinkConfig.HTTP_ENABLED_CONFIG)) {
            try {
                app.httpServer = ClickHouseHttpServer.start(new ClickHouseHttpConfig(config.originals()), chdb,
                        () -> app.status().toPrometheus());
            } catch (RuntimeException e) {
                app.closeClients();
                throw e;
            }
        }
        try {
            app.opsServer = OpsConfig.start(config, app.metrics(), app.readiness());
        } catch (RuntimeException e) {
            if (app.httpServer != null) {
                app.httpServer.close();
            }
            app.closeClients();
            throw e;
        }
        app.thread.start();
        LOG.info("sink started: {} topics into {} database {}", config.getList(SinkConfig.TOPICS_CONFIG).size(),
                engine.kind(), app.database);
        return app;
    }

    static Engine openEngine(SinkConfig config) {
        if (config.engine().equals("jdbc")) {
            return JdbcEngine.open(config.getString(SinkConfig.JDBC_URL_CONFIG),
                    config.getString(SinkConfig.JDBC_USER_CONFIG),
                    config.getPassword(SinkConfig.JDBC_PASSWORD_CONFIG).value());
        }
        String lib = config.getString(SinkConfig.CHDB_LIBRARY_CONFIG);
        return lib.isBlank() ? ChdbEngine.open(config.chdbPath()) : ChdbEngine.open(config.chdbPath(), Path.of(lib));
    }

    private static Path spoolDir(SinkConfig config) {
        String dir = config.getString(SinkConfig.SPOOL_DIR_CONFIG);
        try {
            if (dir.isBlank()) {
                return Files.createTempDirectory("entrenar-sink-spool");
            }
            return Files.createDirectories(SinkConfig.expandHome(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create spool directory: " + e.getMessage(), e);
        }
    }

    public Engine engine() {
        return engine;
    }

    /** The sink's figures for {@code /metrics} (ops endpoint), read at scrape time. */
    Metrics metrics() {
        Metrics m = new Metrics();
        registerMetrics(m);
        return m;
    }

    /** Ready while the sink thread runs, its consumer has joined the group and ClickHouse answers. */
    public Map<String, io.entrenar.ops.OpsServer.Check> readiness() {
        Map<String, io.entrenar.ops.OpsServer.Check> checks = new java.util.LinkedHashMap<>();
        checks.put("sink", () -> isRunning() ? null : "the sink thread has stopped: " + failure());
        checks.put("kafka", () -> assigned ? null : "the consumer has not joined group " + config.getString(SinkConfig.GROUP_ID_CONFIG) + " yet");
        checks.put("clickhouse", () -> {
            try {
                engine.rows("SELECT 1");
                return null;
            } catch (RuntimeException e) {
                return engine.kind() + " does not answer: " + e.getMessage();
            }
        });
        return checks;
    }

    /** Adds the {@code entrenar_sink_*} series to an embedding process's metrics (the stack's). */
    public void registerMetrics(Metrics m) {
        m.register("entrenar_sink_records_consumed_total", Metrics.Type.COUNTER, "Kafka records read, dead letters included.",
                () -> recordsConsumed);
        m.register("entrenar_sink_rows_inserted_total", Metrics.Type.COUNTER, "Rows inserted into ClickHouse, all tables.",
                () -> rowsInserted);
        m.register("entrenar_sink_batches_inserted_total", Metrics.Type.COUNTER, "Inserts followed by an offset commit.",
                () -> batchesInserted);
        m.register("entrenar_sink_dead_letters_total", Metrics.Type.COUNTER, "Records sent to the dead-letter topic.",
                () -> deadLetterCount);
        m.register("entrenar_sink_rows_per_second", Metrics.Type.GAUGE, "Rows inserted per second, last interval.",
                () -> rowsPerSecond);
        m.register("entrenar_sink_consumer_lag_records", Metrics.Type.GAUGE,
                "Records behind the end of the assigned partitions.", () -> lag);
        m.register("entrenar_sink_last_batch_age_seconds", Metrics.Type.GAUGE,
                "Age of the oldest event of the last batch when it became queryable.", () -> lastBatchAgeMillis / 1000.0);
    }

    /** The ops endpoint's URL ({@code /metrics}, {@code /health/...}), unless {@code ops.port=-1}. */
    public java.util.Optional<String> opsUrl() {
        return java.util.Optional.ofNullable(opsServer).map(OpsServer::url);
    }

    /** The HTTP endpoint's URL when this sink serves one (it owns a chDB engine and http.enabled). */
    public java.util.Optional<String> httpUrl() {
        return java.util.Optional.ofNullable(httpServer).map(ClickHouseHttpServer::url);
    }

    public SinkStatus status() {
        return new SinkStatus(recordsConsumed, rowsInserted, batchesInserted, deadLetterCount, rowsPerSecond, lag,
                lastCommitMillis, lastBatchAgeMillis);
    }

    /** The error that stopped the sink, if one did. */
    public Throwable failure() {
        return failure;
    }

    public boolean isRunning() {
        return running && thread.isAlive();
    }

    private void run() {
        try {
            consumer.subscribe(config.getList(SinkConfig.TOPICS_CONFIG), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    flush(true);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned = true;
                }
            });
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                records = consumer.poll(MAX_POLL);
                Set<TopicPartition> retry = new HashSet<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (!retry.contains(tp) && !handle(record, tp)) {
                        retry.add(tp);
                        consumer.seek(tp, record.offset());
                    }
                }
                commitFinishedInsert(false);
                if (shouldFlush()) {
                    flush(false);
                }
                updateLag(records);
                logStatus();
                if (!retry.isEmpty()) {
                    pauseBriefly();
                }
            }
            flush(true);
        } catch (Throwable e) {
            failure = e;
            LOG.error("sink stopped: {}", e.toString(), e);
        } finally {
            running = false;
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.warn("closing the consumer: {}", e.toString());
            }
            stopped.countDown();
        }
    }

    /** Returns false when the record must be read again later (schema registry unreachable). */
    private boolean handle(ConsumerRecord<byte[], byte[]> record, TopicPartition tp) {
        Object event = null;
        if (record.value() != null) {
            try {
                event = deserializer.deserialize(record);
            } catch (WireFormatException e) {
                deadLetter(record, e.problem().name(), e.getMessage());
            } catch (SerializationException e) {
                LOG.warn("cannot decode {} offset {} now (retrying): {}", tp, record.offset(), e.getMessage());
                return false;
            }
        }
        if (event != null) {
            batch.mark();
            try {
                noteTimestamp(event);
                if (!EventRows.append(event, batch)) {
                    deadLetter(record, "UNSUPPORTED_TYPE", "topic " + record.topic() + " partition " + record.partition()
                            + " offset " + record.offset() + ": the sink stores no " + event.getClass().getName());
                }
            } catch (RuntimeException e) {
                batch.rollback();
                deadLetter(record, "INVALID_EVENT", "topic " + record.topic() + " partition " + record.partition()
                        + " offset " + record.offset() + ": " + e.getMessage());
            }
        }
        if (batchStartedNanos < 0) {
            batchStartedNanos = System.nanoTime();
        }
        pending.put(tp, new OffsetAndMetadata(record.offset() + 1));
        recordsConsumed++;
        return true;
    }

    private void noteTimestamp(Object event) {
        if (event instanceof SpecificRecord r) {
            Schema.Field f = r.getSchema().getField("ts_micros");
            if (f != null && r.get(f.pos()) instanceof Instant t) {
                oldestEventMicros = Math.min(oldestEventMicros, t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000);
            }
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, String message) {
        LOG.warn("dead letter {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), message);
        deadLetters.send(record, reason, message);
        deadLetterCount++;
    }

    private boolean shouldFlush() {
        if (pending.isEmpty()) {
            return false;
        }
        return batch.rows() >= maxRows || batch.bytes() >= maxBytes
                || System.nanoTime() - batchStartedNanos >= maxMillis * 1_000_000L;
    }

    /**
     * Hands the batch to the inserter and starts the next one. Offsets are committed only after
     * their batch's insert has finished (insert, then commit: a crash re-delivers, never loses);
     * a second batch waits for the first, which bounds memory to two batches.
     */
    private void flush(boolean waitForInsert) {
        commitFinishedInsert(true);
        if (!pending.isEmpty() || !batch.isEmpty()) {
            Batch full = batch;
            batch = spare;
            spare = full;
            inFlightOffsets = new HashMap<>(pending);
            pending.clear();
            inFlightRows = full.rows();
            inFlightOldestMicros = oldestEventMicros;
            oldestEventMicros = Long.MAX_VALUE;
            batchStartedNanos = -1;
            inFlight = inserter.submit(() -> insert(full));
        }
        if (waitForInsert) {
            commitFinishedInsert(true);
        }
    }

    private void insert(Batch full) {
        long backoffMs = 100;
        while (true) {
            try {
                full.insert(engine, database, spoolDir);
                return;
            } catch (RuntimeException e) {
                if (!running && backoffMs > 5_000) {
                    throw e;
                }
                LOG.warn("insert of {} rows failed, retrying in {} ms: {}", full.rows(), backoffMs, e.getMessage());
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 30_000);
            }
        }
    }

    /** If the in-flight insert is done (or {@code block}: once it is), make dead letters durable and commit. */
    private void commitFinishedInsert(boolean block) {
        if (inFlight == null || (!block && !inFlight.isDone())) {
            return;
        }
        try {
            inFlight.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException("insert failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an insert", e);
        } finally {
            inFlight = null;
        }
        deadLetters.flush();
        if (!inFlightOffsets.isEmpty()) {
            consumer.commitSync(inFlightOffsets);
            lastCommitMillis = System.currentTimeMillis();
        }
        if (inFlightOldestMicros != Long.MAX_VALUE) {
            lastBatchAgeMillis = Math.max(0, System.currentTimeMillis() - inFlightOldestMicros / 1000);
        }
        rowsInserted += inFlightRows;
        batchesInserted++;
    }

    private void updateLag(ConsumerRecords<byte[], byte[]> records) {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isEmpty()) {
                lag = records.isEmpty() ? lag : -1;
                return;
            }
            total += l.getAsLong();
        }
        lag = total;
    }

    private void logStatus() {
        long now = System.nanoTime();
        long elapsed = now - statusNanos;
        if (elapsed < Math.max(1000, statusIntervalMs) * 1_000_000L) {
            return;
        }
        rowsPerSecond = (rowsInserted - statusRows) * 1e9 / elapsed;
        statusRows = rowsInserted;
        statusNanos = now;
        if (statusIntervalMs > 0) {
            LOG.info("sink: {} rows/s, lag {} records, last batch queryable {} ms after its oldest event, {} rows and {} "
                    + "dead letters so far", Math.round(rowsPerSecond), lag, lastBatchAgeMillis, rowsInserted, deadLetterCount);
        }
    }

    private void pauseBriefly() {
        sleep(1000);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeClients() {
        if (thread.getState() == Thread.State.NEW) {
            consumer.close();
        }
        deadLetters.close();
        deserializer.close();
    }

    /** Stops consuming, inserts and commits what is pending, closes clients (and the engine if owned). */
    @Override
    public void close() {
        // No consumer.wakeup(): it would also interrupt the final commit. Polls last at most 100 ms.
        running = false;
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inserter.shutdown();
        if (opsServer != null) {
            opsServer.close();
        }
        if (httpServer != null) {
            httpServer.close();
        }
        closeClients();
        // Last: chDB must be closed after everything that uses it, and before the JVM exits.
        if (ownsEngine) {
            engine.close();
        }
        try (var files = Files.list(spoolDir)) {
            files.forEach(f -> f.toFile().delete());
            Files.deleteIfExists(spoolDir);
        } catch (IOException ignored) {
            // A leftover temp directory is harmless.
        }
    }
}
