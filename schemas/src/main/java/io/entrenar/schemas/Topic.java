package io.entrenar.schemas;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import io.entrenar.events.Alert;
import io.entrenar.events.Artifact;
import io.entrenar.events.ControlCommand;
import io.entrenar.events.EtaEstimate;
import io.entrenar.events.ExperimentDefined;
import io.entrenar.events.Failure;
import io.entrenar.events.LeaderboardEntry;
import io.entrenar.events.MetricBatch;
import io.entrenar.events.MetricStats;
import io.entrenar.events.ResourceSample;
import io.entrenar.events.RunEvent;
import io.entrenar.events.Span;
import io.entrenar.events.SyscallAggregate;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every topic of the pipeline, with its value type and default retention. Keys are always the
 * UTF-8 {@code run_id}; values are Confluent-framed Avro under the subject {@code <topic>-value}.
 */
public enum Topic {
    RUNS("entrenar.runs.v1", RunEvent.class, Cleanup.DELETE, Retention.FOREVER,
            "Run lifecycle: start (params, lineage, device, plan, quality, supply chain), status changes, annotations, finish."),
    METRICS("entrenar.metrics.v1", MetricBatch.class, Cleanup.DELETE, Retention.days(7),
            "Metric points in columnar batches."),
    SPANS("entrenar.spans.v1", Span.class, Cleanup.DELETE, Retention.days(7),
            "OpenTelemetry-shaped spans; the run is the root span."),
    SYSCALLS("entrenar.syscalls.v1", SyscallAggregate.class, Cleanup.DELETE, Retention.days(7),
            "JFR file/socket IO, GC, allocation and wait counters per interval."),
    RESOURCES("entrenar.resources.v1", ResourceSample.class, Cleanup.DELETE, Retention.days(7),
            "JVM and host resource samples."),
    FAILURES("entrenar.failures.v1", Failure.class, Cleanup.DELETE, Retention.FOREVER,
            "Structured failures (error code, category, diagnostic, remediation, stack)."),
    ARTIFACTS("entrenar.artifacts.v1", Artifact.class, Cleanup.DELETE, Retention.FOREVER,
            "Artifacts with sha256, size and format."),
    METRIC_STATS("entrenar.metric-stats.v1", MetricStats.class, Cleanup.DELETE, Retention.days(7),
            "Rolling statistics per run and metric (stream processors)."),
    ALERTS("entrenar.alerts.v1", Alert.class, Cleanup.DELETE, Retention.days(90),
            "Andon incidents, FIRING then RESOLVED (stream processors)."),
    ETA("entrenar.eta.v1", EtaEstimate.class, Cleanup.DELETE, Retention.days(7),
            "Kalman-filtered ETA per run (stream processors)."),
    LEADERBOARD("entrenar.leaderboard.v1", LeaderboardEntry.class, Cleanup.COMPACT, Retention.FOREVER,
            "Latest leaderboard entry per run (stream processors)."),
    CONTROL("entrenar.control.v1", ControlCommand.class, Cleanup.DELETE, Retention.days(7),
            "STOP / PAUSE / RESUME / APPROVE / REJECT commands to live runs."),
    DLQ("entrenar.dlq.v1", null, Cleanup.DELETE, Retention.days(30),
            "Dead letters: the original key and value bytes, the reason in headers."),
    // Appended after DLQ: spool frames name topics by ordinal, so existing ordinals never move.
    EXPERIMENTS("entrenar.experiments.v1", ExperimentDefined.class, Cleanup.COMPACT, Retention.FOREVER,
            "Experiments by id (the key): name, lifecycle stage, tags (MLflow API).");

    /** Cleanup policy as Kafka spells it. */
    public enum Cleanup {
        DELETE("delete"), COMPACT("compact");

        private final String kafkaName;

        Cleanup(String kafkaName) {
            this.kafkaName = kafkaName;
        }

        public String kafkaName() {
            return kafkaName;
        }
    }

    /** Retention in milliseconds as Kafka spells it; -1 keeps records forever. */
    static final class Retention {
        static final long FOREVER = -1L;

        static long days(int days) {
            return Duration.ofDays(days).toMillis();
        }

        private Retention() {
        }
    }

    private final String topicName;
    private final Class<? extends SpecificRecord> valueClass;
    private final Cleanup cleanup;
    private final long retentionMs;
    private final String description;

    Topic(String topicName, Class<? extends SpecificRecord> valueClass, Cleanup cleanup, long retentionMs, String description) {
        this.topicName = topicName;
        this.valueClass = valueClass;
        this.cleanup = cleanup;
        this.retentionMs = retentionMs;
        this.description = description;
    }

    public String topicName() {
        return topicName;
    }

    /** The generated class of the values, or empty for the dead-letter topic (raw bytes). */
    public Optional<Class<? extends SpecificRecord>> valueClass() {
        return Optional.ofNullable(valueClass);
    }

    /** The Avro schema of the values, or empty for the dead-letter topic. */
    public Optional<Schema> valueSchema() {
        return valueClass().map(Topic::schemaOf);
    }

    /** TopicNameStrategy subject of the values. */
    public String valueSubject() {
        return topicName + "-value";
    }

    public Cleanup defaultCleanup() {
        return cleanup;
    }

    public long defaultRetentionMs() {
        return retentionMs;
    }

    public String description() {
        return description;
    }

    public static Optional<Topic> byName(String topicName) {
        return Arrays.stream(values()).filter(t -> t.topicName.equals(topicName)).findFirst();
    }

    private static Schema schemaOf(Class<? extends SpecificRecord> type) {
        try {
            return (Schema) type.getField("SCHEMA$").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("generated class without SCHEMA$: " + type.getName(), e);
        }
    }
}
