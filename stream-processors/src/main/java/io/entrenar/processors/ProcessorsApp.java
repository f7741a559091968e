package io.entrenar.processors;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream-processors app: one Kafka Streams instance (exactly-once v2) running
 * {@link ProcessorsTopology}, plus the HTTP/JSON query endpoint over its state stores. Start more
 * instances with the same {@code application.id} to scale out; the endpoint forwards queries for
 * keys held by another instance.
 */
public final class ProcessorsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessorsApp.class);

    private final SchemaRegistryClient registry;
    private final KafkaStreams streams;
    private final QueryServer http;
    private final DeadLetters.Counts deadLetters;

    private ProcessorsApp(SchemaRegistryClient registry, KafkaStreams streams, QueryServer http, DeadLetters.Counts deadLetters) {
        this.registry = registry;
        this.streams = streams;
        this.http = http;
        this.deadLetters = deadLetters;
    }

    /** Starts the query endpoint and the topology; returns once both are started (not necessarily RUNNING). */
    public static ProcessorsApp start(ProcessorsConfig config) {
        SchemaRegistryClient registry = CachedSchemaRegistryClient.fromConfigs(
                Map.of(ProcessorsConfig.SCHEMA_REGISTRY_URL_CONFIG, config.getString(ProcessorsConfig.SCHEMA_REGISTRY_URL_CONFIG)));
        QueryServer http = null;
        try {
            DeadLetters.Counts counts = new DeadLetters.Counts();
            http = QueryServer.bind(config.getString(ProcessorsConfig.HTTP_HOST_CONFIG), config.getInt(ProcessorsConfig.HTTP_PORT_CONFIG));
            Serde<SpecificRecord> events = AvroSerde.specific(registry, Map.of(), false);
            Topology topology = ProcessorsTopology.build(config.settings(), events);
            LOG.debug("processors topology: {}", topology.describe());
            KafkaStreams streams = new KafkaStreams(topology, streamsProperties(config, counts, http.advertised()));
            streams.setUncaughtExceptionHandler(e -> {
                LOG.error("stream thread failed; replacing it", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            http.serve(streams, counts);
            streams.start();
            LOG.info("entrenar processors started: application.id={}, query endpoint {}", config.getString(ProcessorsConfig.APPLICATION_ID_CONFIG), http.url());
            return new ProcessorsApp(registry, streams, http, counts);
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            registry.close();
            throw e;
        }
    }

    static Properties streamsProperties(ProcessorsConfig config, DeadLetters.Counts counts, String applicationServer) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(ProcessorsConfig.APPLICATION_ID_CONFIG));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.getList(ProcessorsConfig.BOOTSTRAP_SERVERS_CONFIG)));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(ProcessorsConfig.STATE_DIR_CONFIG));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(ProcessorsConfig.NUM_STREAM_THREADS_CONFIG));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(ProcessorsConfig.COMMIT_INTERVAL_MS_CONFIG));
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.Deserialization.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.Processing.class);
        p.put(DeadLetters.COUNTS_CONFIG, counts);
        // No global stores here; opting in now is what Kafka 5.0 will do by default.
        p.put("processing.exception.handler.global.enabled", true);
        if (applicationServer != null) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        // Batches are large: let the consumer hand over enough of them per poll.
        p.put(StreamsConfig.consumerPrefix("max.poll.records"), 2000);
        p.put(StreamsConfig.producerPrefix("linger.ms"), 5);
        p.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
        Map<String, Object> overrides = new HashMap<>(config.streamsOverrides());
        p.putAll(overrides);
        return p;
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

    /** Dead letters written by this instance since it started. */
    public long deadLetters() {
        return deadLetters.total();
    }

    @Override
    public void close() {
        http.close();
        streams.close(Duration.ofSeconds(30));
        registry.close();
    }
}
