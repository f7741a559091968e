package io.entrenar.processors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.entrenar.config.KafkaClients;
import io.entrenar.ops.Metrics;
import io.entrenar.ops.OpsConfig;
import io.entrenar.ops.OpsServer;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.control.ControlKeys;
import io.entrenar.control.SigningSerializer;
import io.entrenar.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream-processors app: one Kafka Streams instance (exactly-once v2) running
 * {@link ProcessorsTopology}, plus the HTTP/JSON query endpoint over its state stores and the ops
 * endpoint ({@code /metrics}, {@code /health/live}, {@code /health/ready}). Start more instances with
 * the same {@code application.id} to scale out; the query endpoint forwards queries for keys held by
 * another instance.
 */
public final class ProcessorsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessorsApp.class);

    private final SchemaRegistryClient registry;
    private final KafkaStreams streams;
    private final QueryServer http;
    private final DeadLetters.Counts deadLetters;
    private volatile OpsServer ops;
    private volatile double openIncidents = Double.NaN;

    private ProcessorsApp(SchemaRegistryClient registry, KafkaStreams streams, QueryServer http, DeadLetters.Counts deadLetters) {
        this.registry = registry;
        this.streams = streams;
        this.http = http;
        this.deadLetters = deadLetters;
    }

    /** Starts the query endpoint and the topology; returns once both are started (not necessarily RUNNING). */
    public static ProcessorsApp start(ProcessorsConfig config) {
        SchemaRegistryClient registry = CachedSchemaRegistryClient.fromConfigs(config.registryClientConfigs());
        QueryServer http = null;
        try {
            DeadLetters.Counts counts = new DeadLetters.Counts();
            RefusedOutputs refused = new RefusedOutputs();
            http = QueryServer.bind(config.getString(ProcessorsConfig.HTTP_HOST_CONFIG), config.getInt(ProcessorsConfig.HTTP_PORT_CONFIG),
                    config.getString(ProcessorsConfig.HTTP_ADVERTISED_HOST_CONFIG));
            Serde<SpecificRecord> avro = AvroSerde.specific(registry, Map.of(), false);
            // What goes to entrenar.control.v1 (Andon's STOP and PAUSE) leaves signed: trackers obey nothing else.
            ControlKeys keys = ControlKeys.loadOrCreate(ControlKeys.resolve(config.getString(ControlKeys.FILE_CONFIG), System.getenv()));
            Serde<SpecificRecord> events = Serdes.serdeFrom(new SigningSerializer<>(avro.serializer(), keys), avro.deserializer());
            Topology topology = ProcessorsTopology.build(config.settings(), events, refused, counts);
            LOG.debug("processors topology: {}", topology.describe());
            KafkaStreams streams = new KafkaStreams(topology, streamsProperties(config, counts, refused, http.advertised()));
            streams.setUncaughtExceptionHandler(e -> {
                if (DeadLetters.registryAway(e)) {
                    // already said by the deserialization handler, once per attempt: no stack trace
                    LOG.info("stream thread stopped while the schema registry is away; replacing it to read the record again");
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
                }
                LOG.error("stream thread failed; replacing it", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            http.serve(streams);
            ProcessorsApp app = new ProcessorsApp(registry, streams, http, counts);
            Metrics metrics = new Metrics();
            app.registerMetrics(metrics);
            app.ops = OpsConfig.start(config, metrics, app.readiness());
            streams.start();
            LOG.info("entrenar processors started: application.id={}, query endpoint {}", config.getString(ProcessorsConfig.APPLICATION_ID_CONFIG), http.url());
            return app;
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            registry.close();
            throw e;
        }
    }

    /**
     * Kafka Streams' settings, from the app's client factory: every client of the topology (consumers,
     * producers, admin) gets the servers and the security settings; {@code streams.*} overrides tune
     * it but cannot replace them.
     */
    static Properties streamsProperties(ProcessorsConfig config, DeadLetters.Counts counts, RefusedOutputs refused, String applicationServer) {
        Map<String, Object> p = new HashMap<>();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(ProcessorsConfig.APPLICATION_ID_CONFIG));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(ProcessorsConfig.STATE_DIR_CONFIG));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(ProcessorsConfig.NUM_STREAM_THREADS_CONFIG));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(ProcessorsConfig.COMMIT_INTERVAL_MS_CONFIG));
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.Deserialization.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.Processing.class);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.Production.class);
        p.put(DeadLetters.COUNTS_CONFIG, counts);
        p.put(RefusedOutputs.CONFIG, refused);
        // No global stores here; opting in now is what Kafka 5.0 will do by default.
        p.put("processing.exception.handler.global.enabled", true);
        if (applicationServer != null) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        // Batches are large: let the consumer hand over enough of them per poll.
        p.put(StreamsConfig.consumerPrefix("max.poll.records"), 2000);
        p.put(StreamsConfig.producerPrefix("linger.ms"), 5);
        p.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
        p.putAll(config.streamsOverrides());
        return KafkaClients.of(config, "entrenar-processors").streamsProperties(p);
    }

    /** Base URL of the HTTP/JSON query endpoint, e.g. {@code http://127.0.0.1:8086}. */
    public String httpUrl() {
        return http.url();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Blocks until the topology is RUNNING; false on timeout or if it failed. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Base URL of {@code /metrics} and {@code /health/*}, unless {@code ops.port=-1}. */
    public Optional<String> opsUrl() {
        return Optional.ofNullable(ops).map(OpsServer::url);
    }

    /** Ready once Kafka Streams is RUNNING: partitions assigned and every state store restored. */
    public Map<String, OpsServer.Check> readiness() {
        return Map.of("kafka-streams", () -> streams.state() == KafkaStreams.State.RUNNING ? null
                : "Kafka Streams is " + streams.state() + " (RUNNING once partitions are assigned and state is restored)");
    }

    /** Ids of the tasks this instance runs (e.g. {@code 0_1}: sub-topology 0, partition 1). */
    public List<String> activeTasks() {
        List<String> tasks = new ArrayList<>();
        streams.metadataForLocalThreads().forEach(t -> t.activeTasks().forEach(task -> tasks.add(task.taskId().toString())));
        tasks.sort(null);
        return tasks;
    }

    /**
     * Adds the {@code entrenar_processors_*} series, and every numeric Kafka Streams and client metric
     * as {@code kafka_streams_<group>_<name>}, to {@code metrics}.
     */
    public void registerMetrics(Metrics metrics) {
        metrics.register("entrenar_processors_records_processed_total", Metrics.Type.COUNTER,
                        "Records processed by this instance's stream threads (all topics).", () -> sum("stream-thread-metrics", "process-total"))
                .register("entrenar_processors_records_per_second", Metrics.Type.GAUGE,
                        "Records processed per second by this instance (Kafka Streams' process-rate).", () -> sum("stream-thread-metrics", "process-rate"))
                .registerLabelled("entrenar_processors_consumer_lag_records", Metrics.Type.GAUGE,
                        "Records behind the end of the partitions this instance consumes, per topic.", this::lagByTopic)
                .registerLabelled("entrenar_processors_dead_letters_total", Metrics.Type.COUNTER,
                        "Records this instance sent to entrenar.dlq.v1, per stage.", () -> Map.of(
                                Map.of("stage", "deserialization"), (double) deadLetters.deserialization.sum(),
                                Map.of("stage", "processing"), (double) deadLetters.processing.sum(),
                                Map.of("stage", DeadLetters.STAGE_EVENT_TIME), (double) deadLetters.eventTime.sum(),
                                Map.of("stage", DeadLetters.STAGE_PRODUCTION), (double) deadLetters.production.sum()))
                .register("entrenar_processors_broker_refusals_total", Metrics.Type.COUNTER,
                        "Output records the broker refused (timestamp out of its limits, too large); each restarts its task once, "
                                + "and the retry sends the record to entrenar.dlq.v1 (dead_letters_total{stage=\"production\"}).",
                        () -> deadLetters.brokerRefusals.sum())
                .register("entrenar_processors_registry_retries_total", Metrics.Type.COUNTER,
                        "Input records read again because the schema registry did not answer while decoding them "
                                + "(a registry outage delays records, it does not dead-letter them).",
                        () -> deadLetters.registryRetries.sum())
                .register("entrenar_processors_open_incidents", Metrics.Type.GAUGE,
                        "Andon incidents FIRING and not yet RESOLVED in the runs this instance holds.", this::openIncidents)
                .register("entrenar_processors_active_tasks", Metrics.Type.GAUGE, "Tasks this instance runs.", () -> activeTasks().size())
                .register("entrenar_processors_running", Metrics.Type.GAUGE, "1 when Kafka Streams is RUNNING.",
                        () -> streams.state() == KafkaStreams.State.RUNNING ? 1 : 0)
                .registerDynamic(this::streamsMetrics);
    }

    private double sum(String group, String name) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends org.apache.kafka.common.Metric> e : streams.metrics().entrySet()) {
            if (e.getKey().group().equals(group) && e.getKey().name().equals(name) && e.getValue().metricValue() instanceof Number n
                    && Double.isFinite(n.doubleValue())) {
                total += n.doubleValue();
            }
        }
        return total;
    }

    /** The main consumers' per-partition records-lag, summed per topic (restore consumers left out). */
    private Map<Map<String, String>, Double> lagByTopic() {
        Map<Map<String, String>, Double> lag = new LinkedHashMap<>();
        streams.metrics().forEach((name, metric) -> {
            String client = name.tags().getOrDefault("client-id", "");
            if (name.group().equals("consumer-fetch-manager-metrics") && name.name().equals("records-lag") && name.tags().containsKey("partition")
                    && !client.endsWith("restore-consumer") && metric.metricValue() instanceof Number n && Double.isFinite(n.doubleValue())) {
                lag.merge(Map.of("topic", name.tags().get("topic")), n.doubleValue(), Double::sum);
            }
        });
        return lag;
    }

    private double openIncidents() {
        try {
            ReadOnlyKeyValueStore<String, RunWatch> store = streams.store(
                    StoreQueryParameters.fromNameAndType(AndonProcessor.STORE, QueryableStoreTypes.<String, RunWatch>keyValueStore()));
            long open = 0;
            try (KeyValueIterator<String, RunWatch> it = store.all()) {
                while (it.hasNext()) {
                    open += it.next().value.open.size();
                }
            }
            openIncidents = open;
        } catch (InvalidStateStoreException e) {
            // Rebalancing or restoring: report the last count rather than a false zero.
        }
        return openIncidents;
    }

    private Map<String, Map<Map<String, String>, Double>> streamsMetrics() {
        Map<String, Map<Map<String, String>, Double>> out = new HashMap<>();
        streams.metrics().forEach((name, metric) -> {
            if (metric.metricValue() instanceof Number n) {
                out.computeIfAbsent("kafka_streams_" + name.group() + "_" + name.name(), k -> new LinkedHashMap<>())
                        .put(name.tags(), n.doubleValue());
            }
        });
        return out;
    }

    /** Dead letters written by this instance since it started. */
    public long deadLetters() {
        return deadLetters.total();
    }

    @Override
    public void close() {
        if (ops != null) {
            ops.close();
        }
        http.close();
        streams.close(Duration.ofSeconds(30));
        registry.close();
    }
}
