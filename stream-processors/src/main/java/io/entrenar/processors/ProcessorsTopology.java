package io.entrenar.processors;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.entrenar.events.Alert;
import io.entrenar.events.ControlCommand;
import io.entrenar.events.EtaEstimate;
import io.entrenar.events.LeaderboardEntry;
import io.entrenar.events.MetricStats;
import io.entrenar.schemas.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The processors' one topology. A single source reads the four training topics (all keyed by
 * run id, hence co-partitioned) and feeds the per-run processors side by side: rolling stats,
 * Andon, ETA and the leaderboard's run summaries. Leaderboards and the failure Pareto need other
 * keys (benchmark, everything) and go through repartition topics. Outputs are routed to their
 * topic by value type.
 */
final class ProcessorsTopology {
    static final String FAILURE_PARETO_KEY = "all";

    private ProcessorsTopology() {
    }

    /** Everything the topology's processors are configured with. */
    record Settings(StatsSettings stats, AndonRules andon, Duration andonCheckInterval, EtaSettings eta, LeaderboardSettings leaderboard,
                    Duration andonFinishGrace, Duration maxEventTimeAhead) {
        static final Duration DEFAULT_FINISH_GRACE = Duration.ofSeconds(30);
        /** The brokers' default message.timestamp.after.max.ms (1 h) less 5 minutes for clock differences between them and us. */
        static final Duration DEFAULT_MAX_AHEAD = Duration.ofMinutes(55);

        Settings(StatsSettings stats, AndonRules andon, Duration andonCheckInterval, EtaSettings eta, LeaderboardSettings leaderboard,
                 Duration andonFinishGrace) {
            this(stats, andon, andonCheckInterval, eta, leaderboard, andonFinishGrace, DEFAULT_MAX_AHEAD);
        }

        Settings(StatsSettings stats, AndonRules andon, Duration andonCheckInterval, EtaSettings eta, LeaderboardSettings leaderboard) {
            this(stats, andon, andonCheckInterval, eta, leaderboard, DEFAULT_FINISH_GRACE);
        }

        static Settings defaults() {
            return new Settings(StatsSettings.defaults(), AndonRules.defaults(), Duration.ofSeconds(1), EtaSettings.defaults(),
                    LeaderboardSettings.defaults());
        }
    }

    static Topology build(Settings settings, Serde<SpecificRecord> events) {
        return build(settings, events, new RefusedOutputs(), new DeadLetters.Counts());
    }

    /** The topology; {@code refused} and {@code counts} are the ones the app's exception handlers share. */
    static Topology build(Settings settings, Serde<SpecificRecord> events, RefusedOutputs refused, DeadLetters.Counts counts) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(store(MetricStatsProcessor.RUN_STORE, new MomentsSerde()));
        builder.addStateStore(store(MetricStatsProcessor.WINDOW_STORE, new MomentsSerde()));
        builder.addStateStore(store(MetricStatsProcessor.HISTORY_STORE, new MetricHistory.HistorySerde()));
        builder.addStateStore(store(MetricStatsProcessor.FINISHED_STORE, Serdes.Long()));
        builder.addStateStore(store(AndonProcessor.STORE, new JsonSerde<>(RunWatch.class)));
        builder.addStateStore(store(EtaProcessor.STORE, new JsonSerde<>(EtaProcessor.EtaState.class)));
        builder.addStateStore(store(LeaderboardProcessor.RUNS_STORE, new JsonSerde<>(LeaderboardProcessor.Contender.class)));
        builder.addStateStore(store(LeaderboardProcessor.BOARDS_STORE, new JsonSerde<>(LeaderboardProcessor.Board.class)));
        builder.addStateStore(store(FailureParetoProcessor.STORE, Serdes.Long()));

        // Gated before anything else: an event from a clock far ahead must reach no store and no output.
        KStream<String, SpecificRecord> telemetry = builder.stream(
                        List.of(Topic.RUNS.topicName(), Topic.METRICS.topicName(), Topic.RESOURCES.topicName(), Topic.FAILURES.topicName()),
                        Consumed.with(Serdes.String(), events).withName("telemetry"))
                .process(() -> new EventTimeGate(settings.maxEventTimeAhead()), Named.as("event-time-gate"));

        KStream<String, SpecificRecord> stats = telemetry.process(() -> new MetricStatsProcessor(settings.stats()),
                Named.as("rolling-stats"), MetricStatsProcessor.RUN_STORE, MetricStatsProcessor.WINDOW_STORE, MetricStatsProcessor.HISTORY_STORE,
                MetricStatsProcessor.FINISHED_STORE);
        KStream<String, SpecificRecord> andon = telemetry.process(() -> new AndonProcessor(settings.andon(), settings.andonCheckInterval(), settings.andonFinishGrace()),
                Named.as("andon"), AndonProcessor.STORE);
        KStream<String, SpecificRecord> eta = telemetry.process(() -> new EtaProcessor(settings.eta()), Named.as("kalman-eta"), EtaProcessor.STORE);

        KStream<String, SpecificRecord> leaderboard = telemetry
                .process(() -> new LeaderboardProcessor.Contenders(settings.leaderboard()), Named.as("leaderboard-contenders"),
                        LeaderboardProcessor.RUNS_STORE)
                .repartition(Repartitioned.with(Serdes.String(), new JsonSerde<>(LeaderboardProcessor.Contender.class))
                        .withName("leaderboard-by-benchmark"))
                .process(() -> new LeaderboardProcessor(settings.leaderboard()), Named.as("leaderboard"), LeaderboardProcessor.BOARDS_STORE);

        telemetry.filter((runId, value) -> value instanceof io.entrenar.events.Failure, Named.as("failures"))
                .selectKey((runId, value) -> FAILURE_PARETO_KEY, Named.as("failures-all"))
                .repartition(Repartitioned.with(Serdes.String(), events).withName("failure-pareto").withNumberOfPartitions(1))
                .process(FailureParetoProcessor::new, Named.as("failure-pareto"), FailureParetoProcessor.STORE);

        KStream<String, SpecificRecord> outputs = stats.merge(andon, Named.as("stats-and-alerts")).merge(eta, Named.as("with-eta"));
        guarded(outputs, "outputs", refused, counts, events, s -> s.to((key, value, context) -> topicOf(value),
                Produced.with(Serdes.String(), events).withName("outputs")));
        // Its own sink: merged into the one above, the board tasks would be fused with the per-run tasks.
        guarded(leaderboard, "leaderboard-out", refused, counts, events,
                s -> s.to(Topic.LEADERBOARD.topicName(), Produced.with(Serdes.String(), events).withName("leaderboard-out")));
        return builder.build();
    }

    /** Routes {@code out} to {@code sink}, except outputs the broker refused before: those go to the dead-letter topic. */
    private static void guarded(KStream<String, SpecificRecord> out, String name, RefusedOutputs refused, DeadLetters.Counts counts,
                                Serde<SpecificRecord> events, Consumer<KStream<String, SpecificRecord>> sink) {
        out.process(() -> new OutputGuard(refused, counts, events.serializer()), Named.as(name + "-guard"))
                .split(Named.as(name + "-"))
                .branch((key, value) -> value instanceof OutputGuard.Refused, Branched.withConsumer(refusals -> refusals
                        .mapValues(value -> ((OutputGuard.Refused) value).bytes(), Named.as(name + "-refused-bytes"))
                        .to(Topic.DLQ.topicName(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName(name + "-dead-letters")), "refused"))
                .defaultBranch(Branched.withConsumer(accepted -> sink.accept(accepted.mapValues(value -> (SpecificRecord) value,
                        Named.as(name + "-accepted-values"))), "accepted"));
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> serde) {
        // In memory, restored from the changelog: the state is small (per run and metric, not per point).
        // The cache collapses the many writes per key between two commits into one changelog record.
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), serde).withCachingEnabled();
    }

    static String topicOf(SpecificRecord value) {
        return switch (value) {
            case MetricStats s -> Topic.METRIC_STATS.topicName();
            case Alert a -> Topic.ALERTS.topicName();
            case ControlCommand c -> Topic.CONTROL.topicName();
            case EtaEstimate e -> Topic.ETA.topicName();
            case LeaderboardEntry l -> Topic.LEADERBOARD.topicName();
            default -> throw new IllegalArgumentException("no output topic for " + value.getClass().getName());
        };
    }
}
