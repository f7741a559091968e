package io.entrenar.mlflow;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.entrenar.config.KafkaClients;
import io.entrenar.events.ExperimentDefined;
import io.entrenar.events.LifecycleStage;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.serde.AvroSerdeConfig;
import io.entrenar.serde.AvroSerializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The experiments MLflow clients see, kept on the compacted {@code entrenar.experiments.v1} (one
 * record per experiment id, the latest definition wins) and in memory, read back from the topic at
 * start. An experiment's id is the tracking API's id for its name (a name-based UUID), so a Java
 * job and a Python job that name the same experiment land in one; it keeps the id when renamed.
 * MLflow's "Default" experiment is id {@code 0}. Experiments that Java jobs created without this
 * API are adopted on first sight ({@link #adopt}).
 */
final class Experiments implements AutoCloseable {
    static final String DEFAULT_ID = "0";
    static final String DEFAULT_NAME = "Default";
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<String, ExperimentDefined> producer;
    private final String artifactRoot;
    private final Map<String, ExperimentDefined> byId = new LinkedHashMap<>();
    private final Map<String, String> idByName = new HashMap<>();

    private Experiments(KafkaProducer<String, ExperimentDefined> producer, String artifactRoot) {
        this.producer = producer;
        this.artifactRoot = artifactRoot;
    }

    /** Reads every definition on the topic, then makes sure the Default experiment exists. */
    static Experiments load(KafkaClients clients, SchemaRegistryClient registry, String artifactRoot) {
        KafkaProducer<String, ExperimentDefined> producer = clients.producer("experiments",
                Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new AvroSerializer<>(registry, Map.of(), false));
        Experiments experiments = new Experiments(producer, artifactRoot);
        try {
            experiments.readAll(clients, registry);
            if (!experiments.byId.containsKey(DEFAULT_ID)) {
                experiments.write(experiments.definition(DEFAULT_ID, DEFAULT_NAME, LifecycleStage.ACTIVE, Map.of(), Instant.now()));
            }
            return experiments;
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    private void readAll(KafkaClients clients, SchemaRegistryClient registry) {
        AvroDeserializer<Object> values = new AvroDeserializer<>(registry, Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer("experiments-reader",
                Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(Topic.EXPERIMENTS.topicName(), Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + Topic.EXPERIMENTS.topicName() + " to its end within 60 s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    // a record this version cannot read is skipped, not fatal: the others still define experiments
                    try {
                        if (values.deserialize(r.topic(), r.value()) instanceof ExperimentDefined e) {
                            remember(e);
                        }
                    } catch (RuntimeException e) {
                        org.slf4j.LoggerFactory.getLogger(Experiments.class).warn("skipped an unreadable record at {}-{}@{}: {}",
                                r.topic(), r.partition(), r.offset(), e.getMessage());
                    }
                }
            }
        }
    }

    synchronized ExperimentDefined byId(String id) {
        return byId.get(id);
    }

    synchronized ExperimentDefined byName(String name) {
        String id = idByName.get(name);
        return id == null ? null : byId.get(id);
    }

    /** Every experiment, oldest first. */
    synchronized List<ExperimentDefined> all() {
        List<ExperimentDefined> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparing(ExperimentDefined::getCreatedAtMicros).thenComparing(ExperimentDefined::getRunId));
        return out;
    }

    /** Creates an experiment; RESOURCE_ALREADY_EXISTS when the name is taken (deleted experiments keep theirs, as in MLflow). */
    synchronized ExperimentDefined create(String name, Map<String, String> tags) {
        if (idByName.containsKey(name)) {
            throw MlflowException.exists("Experiment '" + name + "' already exists.");
        }
        String id = UUID.nameUUIDFromBytes(("entrenar-experiment:" + name).getBytes(StandardCharsets.UTF_8)).toString();
        if (byId.containsKey(id)) {
            // the name's own id went with a renamed experiment
            id = UUID.randomUUID().toString();
        }
        return write(definition(id, name, LifecycleStage.ACTIVE, tags, Instant.now()));
    }

    /** Registers an experiment that Java jobs created under {@code id} and {@code name}, unless either is known. */
    synchronized void adopt(String id, String name) {
        if (id == null || name == null || id.isEmpty() || name.isEmpty() || byId.containsKey(id) || idByName.containsKey(name)) {
            return;
        }
        write(definition(id, name, LifecycleStage.ACTIVE, Map.of(), Instant.now()));
    }

    synchronized ExperimentDefined rename(String id, String newName) {
        ExperimentDefined e = existing(id);
        if (!e.getName().equals(newName) && idByName.containsKey(newName)) {
            throw MlflowException.exists("Experiment '" + newName + "' already exists.");
        }
        if (e.getLifecycleStage() == LifecycleStage.DELETED) {
            throw MlflowException.invalidState("Cannot rename a non-active experiment " + id);
        }
        return write(definition(id, newName, e.getLifecycleStage(), e.getTags(), e.getCreatedAtMicros()));
    }

    synchronized ExperimentDefined stage(String id, LifecycleStage stage) {
        ExperimentDefined e = existing(id);
        if (id.equals(DEFAULT_ID) && stage == LifecycleStage.DELETED) {
            throw MlflowException.invalid("Cannot delete the default experiment '0'. This is an internally reserved experiment.");
        }
        return write(definition(id, e.getName(), stage, e.getTags(), e.getCreatedAtMicros()));
    }

    synchronized ExperimentDefined tag(String id, String key, String value) {
        ExperimentDefined e = existing(id);
        Map<String, String> tags = new LinkedHashMap<>();
        e.getTags().forEach((k, v) -> tags.put(k.toString(), v.toString()));
        tags.put(key, value);
        return write(definition(id, e.getName(), e.getLifecycleStage(), tags, e.getCreatedAtMicros()));
    }

    synchronized ExperimentDefined existing(String id) {
        ExperimentDefined e = byId.get(id);
        if (e == null) {
            throw MlflowException.notFound("No Experiment with id=" + id + " exists");
        }
        return e;
    }

    private ExperimentDefined definition(String id, String name, LifecycleStage stage, Map<? extends CharSequence, ? extends CharSequence> tags,
                                         Instant created) {
        Map<String, String> t = new LinkedHashMap<>();
        tags.forEach((k, v) -> t.put(k.toString(), v.toString()));
        return ExperimentDefined.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(id)
                .setTsMicros(Instant.now()).setLamport(0).setName(name).setLifecycleStage(stage)
                .setArtifactLocation(artifactRoot + id).setTags(t).setCreatedAtMicros(created).build();
    }

    /** Writes and waits for the broker: an experiment a client was told about is never lost. */
    private ExperimentDefined write(ExperimentDefined e) {
        try {
            producer.send(new ProducerRecord<>(Topic.EXPERIMENTS.topicName(), e.getRunId(), e))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException ex) {
            throw MlflowException.unavailable("cannot record experiment '" + e.getName() + "': " + ex.getCause().getMessage());
        } catch (TimeoutException ex) {
            throw MlflowException.unavailable("cannot record experiment '" + e.getName() + "': Kafka did not answer within "
                    + WRITE_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw MlflowException.unavailable("interrupted while recording experiment '" + e.getName() + "'");
        }
        remember(e);
        return e;
    }

    private void remember(ExperimentDefined e) {
        ExperimentDefined before = byId.put(e.getRunId(), e);
        if (before != null) {
            idByName.remove(before.getName());
        }
        idByName.put(e.getName(), e.getRunId());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
