package io.entrenar.tracking;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.entrenar.control.ControlKeys;
import io.entrenar.events.ControlCommand;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.DeadLetter;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads entrenar.control.v1 from the end (commands issued while this process lives) on a daemon
 * thread and hands each command to the live run it names. No consumer group: every process sees
 * every command and keeps those of its own runs.
 *
 * <p>A command is obeyed only if it is signed with a key of the control key file
 * ({@link ControlKeys}), names the run it is keyed by, was issued within {@code control.max.age.ms}
 * and has not expired, and its command id was not seen before. Any other record for one of our runs
 * (unsigned, badly signed, undecodable, stale, replayed) is ignored, counted, logged once per kind
 * and dead-lettered with the reason.
 */
final class ControlListener implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlListener.class);
    /** Commands are handed over as they arrive; the timeout only bounds an idle poll. */
    private static final Duration POLL = Duration.ofSeconds(5);
    /** How far before the tracker's start commands are read: the sender's clock may be a little behind ours. */
    private static final Duration START_SKEW = Duration.ofSeconds(10);
    /** Command ids remembered against replays; far more than a process receives. */
    private static final int SEEN_COMMANDS = 10_000;

    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroDeserializer<ControlCommand> values;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final LamportClock lamport;
    private final ControlKeys keys;
    private final java.nio.file.Path keysFile;
    private final boolean unsignedAllowed;
    private final long maxAgeMicros;
    private final Producer<byte[], byte[]> deadLetters;
    private final Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_COMMANDS;
        }
    });
    private final Set<String> loggedKinds = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private final Thread thread;
    private final long startedMillis = System.currentTimeMillis();
    private volatile boolean running = true;
    private volatile boolean ready;

    ControlListener(TrackerConfig config, SchemaRegistryClient registry, LamportClock lamport, Producer<byte[], byte[]> deadLetters) {
        this.lamport = lamport;
        this.deadLetters = deadLetters;
        this.keysFile = config.controlKeysFile();
        // A key file that is there but broken fails the start; one that is missing leaves commands refused.
        this.keys = Files.exists(keysFile) ? ControlKeys.load(keysFile) : null;
        this.unsignedAllowed = config.getBoolean(TrackerConfig.CONTROL_UNSIGNED_ALLOWED_CONFIG);
        this.maxAgeMicros = config.getLong(TrackerConfig.CONTROL_MAX_AGE_MS_CONFIG) * 1000;
        // The tracker's servers and security settings: on a secured cluster a listener without them
        // would wait for the topic's partitions forever and never obey a command.
        this.consumer = config.clients().consumer("control", Map.of("enable.auto.commit", false,
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

    /** True once the listener reads every partition (from the tracker's start on). */
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
                        // From the tracker's start, not from whenever the topic answered: a command sent
                        // right after a run started is not lost to the time this lookup took.
                        // The end offsets are taken first: a partition with no record since then is read
                        // from that end, so a command written while we look is still read (a lazy seek
                        // to the end, resolved a moment later, would skip it).
                        Map<TopicPartition, Long> end = consumer.endOffsets(parts);
                        Map<TopicPartition, Long> since = new java.util.HashMap<>();
                        parts.forEach(p -> since.put(p, startedMillis - START_SKEW.toMillis()));
                        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndTimestamp> at = consumer.offsetsForTimes(since);
                        for (TopicPartition p : parts) {
                            consumer.seek(p, at.get(p) != null ? Math.min(at.get(p).offset(), end.get(p)) : end.get(p));
                        }
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
                    String refusal = signatureProblem(r);
                    ControlCommand c = null;
                    if (refusal == null) {
                        try {
                            c = values.deserialize(r);
                            refusal = commandProblem(c, r.key());
                        } catch (RuntimeException e) {
                            refusal = "undecodable: " + e.getMessage();
                        }
                    }
                    if (refusal != null) {
                        refuse(r, refusal);
                        continue;
                    }
                    lamport.observe(c.getLamport());
                    run.control(c);
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

    /** Control records for our runs that were not obeyed. */
    long refused() {
        return refused.get();
    }

    private String signatureProblem(ConsumerRecord<String, byte[]> r) {
        if (keys == null) {
            return unsignedAllowed ? null : "no control key file at " + keysFile + " (control.keys.file): no command can be verified";
        }
        String problem = keys.verify(r.topic(), r.value(), r.headers());
        return problem != null && problem.equals("unsigned") && unsignedAllowed ? null : problem;
    }

    private String commandProblem(ControlCommand c, String key) {
        if (c == null) {
            return "tombstone";
        }
        if (!c.getRunId().equals(key)) {
            return "names run " + c.getRunId() + " but is keyed by run " + key;
        }
        long now = java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, java.time.Instant.now());
        long issued = java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, c.getTsMicros());
        if (Math.abs(now - issued) > maxAgeMicros) {
            return "stale: issued " + (now - issued) / 1_000_000 + " s from now, beyond control.max.age.ms";
        }
        if (c.getExpiresAtMicros() != null && c.getExpiresAtMicros() < now) {
            return "expired";
        }
        synchronized (seen) {
            if (!seen.add(c.getCommandId())) {
                return "replayed command id " + c.getCommandId();
            }
        }
        return null;
    }

    /** Counts, logs the first of each kind, and dead-letters the record with the reason. */
    private void refuse(ConsumerRecord<String, byte[]> r, String reason) {
        refused.incrementAndGet();
        String kind = reason.split("[ :(]", 2)[0];
        if (loggedKinds.add(kind)) {
            LOG.warn("entrenar: ignoring a control command for run {} at {}-{}@{}: {} (further ones of this kind are only "
                    + "counted and dead-lettered)", r.key(), r.topic(), r.partition(), r.offset(), reason);
        }
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(Topic.DLQ.topicName(), null,
                r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8), r.value());
        dead.headers().add(DeadLetter.APP, "tracker".getBytes(StandardCharsets.UTF_8));
        dead.headers().add(DeadLetter.REASON, "CONTROL_REFUSED".getBytes(StandardCharsets.UTF_8));
        dead.headers().add(DeadLetter.MESSAGE, reason.getBytes(StandardCharsets.UTF_8));
        dead.headers().add(DeadLetter.SOURCE_TOPIC, r.topic().getBytes(StandardCharsets.UTF_8));
        dead.headers().add(DeadLetter.SOURCE_PARTITION, Integer.toString(r.partition()).getBytes(StandardCharsets.UTF_8));
        dead.headers().add(DeadLetter.SOURCE_OFFSET, Long.toString(r.offset()).getBytes(StandardCharsets.UTF_8));
        deadLetters.send(dead, (metadata, e) -> {
            if (e != null && loggedKinds.add("dead-letter-failure")) {
                LOG.warn("entrenar: cannot dead-letter a refused control command to {}: {}", Topic.DLQ.topicName(), e.toString());
            }
        });
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
