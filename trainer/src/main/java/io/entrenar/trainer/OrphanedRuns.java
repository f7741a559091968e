package io.entrenar.trainer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.entrenar.events.Failure;
import io.entrenar.events.FailureCategory;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunStatus;
import io.entrenar.schemas.Topic;
import io.entrenar.tracking.RunBuilder;
import io.entrenar.tracking.TrackerConfig;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.serde.AvroSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Ends the runs a dead training process left open. A JVM killed by the OOM killer, {@code kill -9}
 * or {@code Runtime.halt} reports nothing; its supervisor knows it died, so it looks on the runs
 * topic for the runs that process started (matched by the host and pid in {@code RunStarted.source})
 * and never finished, and records each as FAILED with {@value #ERROR_CODE}.
 *
 * <p>The scan starts at the process's start time, so it reads only the run events of its lifetime.
 * The failure's Lamport timestamp follows the last one seen for the run: the runs view folds a run's
 * status by Lamport order, and a death certificate is causally after everything the process said.
 */
final class OrphanedRuns {
    static final String ERROR_CODE = "E_PROCESS_DIED";
    private static final Duration SCAN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A run the dead process started and did not finish.
     *
     * @param processRecord the agent's record of the JVM itself, hosting the training runs that name
     *        it in their {@code entrenar.jvm_run_id} tag: it ends FAILED too, but the failure is the
     *        training run's, recorded once
     */
    record Orphan(String runId, String runName, long lastLamport, Instant startedAt, boolean processRecord) {
    }

    /** How the process ended, for the failure record. */
    record Death(String host, long pid, Instant processStart, int exitStatus, List<String> stderrTail) {
        String describe() {
            if (exitStatus > 128 && exitStatus < 160) {
                int signal = exitStatus - 128;
                return "exit status " + exitStatus + " (killed by signal " + signal + signalName(signal) + ")";
            }
            return "exit status " + exitStatus;
        }

        private static String signalName(int signal) {
            return switch (signal) {
                case 9 -> ", SIGKILL: kill -9, the kernel OOM killer or Runtime.halt(137)";
                case 15 -> ", SIGTERM";
                case 6 -> ", SIGABRT: a JVM crash, see hs_err_pid*.log";
                case 11 -> ", SIGSEGV: a native crash";
                default -> "";
            };
        }
    }

    private final TrackerConfig tracking;

    /**
     * @param tracking the settings the job's tracker streams with: its Kafka clients' servers and
     *                 security settings ({@link TrackerConfig#clients()}), and its registry's
     */
    OrphanedRuns(TrackerConfig tracking) {
        this.tracking = tracking;
    }

    /** Finds the dead process's unfinished runs and fails each; returns them. */
    List<Orphan> failAll(Death death) {
        List<Orphan> orphans = find(death);
        if (!orphans.isEmpty()) {
            fail(orphans, death);
        }
        return orphans;
    }

    List<Orphan> find(Death death) {
        Map<String, Object> registry = new HashMap<>(tracking.registryProperties());
        registry.put("specific.avro.reader", true);
        Map<String, RunEvent> started = new LinkedHashMap<>();
        Map<String, Long> lamports = new HashMap<>();
        Set<String> finished = new HashSet<>();
        AvroDeserializer<RunEvent> values = new AvroDeserializer<>();
        values.configure(registry, false);
        try (KafkaConsumer<String, RunEvent> consumer = tracking.clients().consumer("orphans", Map.of("enable.auto.commit", false),
                new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.RUNS.topicName(), SCAN_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            // Clocks drift a little between the child and this process: start the scan a minute early.
            long from = death.processStart().minus(Duration.ofMinutes(1)).toEpochMilli();
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, from));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query, SCAN_TIMEOUT);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, SCAN_TIMEOUT);
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp start = starts.get(p);
                consumer.seek(p, start == null ? ends.get(p) : start.offset());
            }
            long deadline = System.nanoTime() + SCAN_TIMEOUT.toNanos();
            while (!caughtUp(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + Topic.RUNS.topicName() + " to its end within " + SCAN_TIMEOUT);
                }
                for (ConsumerRecord<String, RunEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    RunEvent event = record.value();
                    String runId = event.getRunId();
                    lamports.merge(runId, event.getLamport(), Math::max);
                    if (event.getPayload() instanceof RunStarted start && start.getSource() != null
                            && start.getSource().getPid() == death.pid() && death.host().equals(start.getSource().getHost())) {
                        started.putIfAbsent(runId, event);
                    } else if (event.getPayload() instanceof RunFinished) {
                        finished.add(runId);
                    }
                }
            }
        }
        // The JVM's process record hosts the runs that name it, finished or not.
        Set<String> hosts = new HashSet<>();
        started.values().forEach(e -> {
            String host = ((RunStarted) e.getPayload()).getTags().get(RunBuilder.JVM_RUN_TAG);
            if (host != null) {
                hosts.add(host);
            }
        });
        // Offsets are no order here: a replayed spool re-sends a RunStarted after the run's RunFinished.
        started.keySet().removeAll(finished);
        List<Orphan> orphans = new ArrayList<>();
        for (RunEvent start : started.values()) {
            orphans.add(new Orphan(start.getRunId(), ((RunStarted) start.getPayload()).getRunName(), lamports.get(start.getRunId()),
                    start.getTsMicros(), hosts.contains(start.getRunId())));
        }
        return orphans;
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private void fail(List<Orphan> orphans, Death death) {
        AvroSerializer<SpecificRecord> values = new AvroSerializer<>();
        values.configure(tracking.registryProperties(), false);
        try (KafkaProducer<String, SpecificRecord> producer = tracking.clients().producer("orphans",
                Map.of("acks", "all", "enable.idempotence", true), new StringSerializer(), values)) {
            Instant now = Instant.now();
            for (Orphan orphan : orphans) {
                Map<String, String> context = new LinkedHashMap<>();
                context.put("host", death.host());
                context.put("pid", Long.toString(death.pid()));
                context.put("exit_status", Integer.toString(death.exitStatus()));
                context.put("detected_by", "supervisor");
                String tail = String.join("\n", death.stderrTail());
                Failure failure = Failure.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(orphan.runId())
                        .setTsMicros(now).setLamport(orphan.lastLamport() + 1).setErrorCode(ERROR_CODE)
                        .setCategory(FailureCategory.INFRA)
                        .setDiagnostic("the training process " + death.host() + ":" + death.pid() + " died with " + death.describe()
                                + " before run '" + orphan.runName() + "' finished; it reported nothing itself"
                                + (tail.isBlank() ? "" : ". Last stderr: " + death.stderrTail().get(death.stderrTail().size() - 1)))
                        .setRemediation("Check `dmesg` for the OOM killer and lower compute.heap_plan_mb or data.batch_size if it "
                                + "struck; resume from the last checkpoint with checkpoint.resume: true")
                        .setStackTrace(tail.isBlank() ? null : tail)
                        .setContext(context).build();
                if (!orphan.processRecord()) {
                    // One death, one failure: counted once in the failure Pareto and alerted once.
                    producer.send(new ProducerRecord<>(Topic.FAILURES.topicName(), orphan.runId(), failure));
                }
                RunFinished finished = RunFinished.newBuilder().setStatus(RunStatus.FAILED)
                        .setDurationMicros(Math.max(0, Duration.between(orphan.startedAt(), now).toNanos() / 1000))
                        .setErrorCode(ERROR_CODE).build();
                producer.send(new ProducerRecord<>(Topic.RUNS.topicName(), orphan.runId(), RunEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString()).setRunId(orphan.runId()).setTsMicros(now)
                        .setLamport(orphan.lastLamport() + 2).setPayload(finished).build()));
            }
            producer.flush();
        }
    }
}
