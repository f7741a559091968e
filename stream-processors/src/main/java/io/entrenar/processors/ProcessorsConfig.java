package io.entrenar.processors;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the stream-processors app. Everything is validated at construction, cross-field
 * rules and the Andon rules file included, so a bad configuration fails before anything starts.
 * Keys under {@value #STREAMS_PREFIX} are handed to Kafka Streams without the prefix.
 */
public final class ProcessorsConfig extends AbstractConfig {
    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka brokers, host:port[,host:port...].";
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Confluent-compatible schema registry URL.";
    public static final String APPLICATION_ID_CONFIG = "application.id";
    private static final String APPLICATION_ID_DOC = "Kafka Streams application id: the consumer group, and the prefix of internal topics. "
            + "Instances with the same id share the work.";
    public static final String STATE_DIR_CONFIG = "state.dir";
    private static final String STATE_DIR_DOC = "Directory for Kafka Streams task state (checkpoints, locks).";
    public static final String NUM_STREAM_THREADS_CONFIG = "num.stream.threads";
    private static final String NUM_STREAM_THREADS_DOC = "Stream threads in this instance.";
    public static final String COMMIT_INTERVAL_MS_CONFIG = "commit.interval.ms";
    private static final String COMMIT_INTERVAL_MS_DOC = "Transaction commit interval: the floor of end-to-end latency under exactly-once.";
    public static final String HTTP_HOST_CONFIG = "http.host";
    private static final String HTTP_HOST_DOC = "Address of the HTTP/JSON query endpoint; also advertised to other instances.";
    public static final String HTTP_ADVERTISED_HOST_CONFIG = "http.advertised.host";
    private static final String HTTP_ADVERTISED_HOST_DOC = "Host other instances use to reach this one's query endpoint (forwarded queries); "
            + "empty = http.host, or this machine's address when http.host is 0.0.0.0 (e.g. a container's IP).";
    public static final String HTTP_PORT_CONFIG = "http.port";
    private static final String HTTP_PORT_DOC = "Port of the HTTP/JSON query endpoint; 0 picks a free port.";
    public static final String ANDON_RULES_FILE_CONFIG = "andon.rules.file";
    private static final String ANDON_RULES_FILE_DOC = "YAML file of Andon rules; empty uses the built-in defaults "
            + "(non_finite, divergence, stall, plateau, plan_overrun, failure).";
    public static final String ANDON_CHECK_INTERVAL_MS_CONFIG = "andon.check.interval.ms";
    private static final String ANDON_CHECK_INTERVAL_MS_DOC = "Wall-clock period of the stall and planned-duration checks.";
    public static final String ANDON_FINISH_GRACE_MS_CONFIG = "andon.finish.grace.ms";
    private static final String ANDON_FINISH_GRACE_MS_DOC = "How long (wall clock) after a run's finish its metric points are still evaluated "
            + "by the rules. Kafka orders nothing across topics, so a RunFinished may be processed before the run's last metric batches; "
            + "what such points fire resolves at once. 0 ignores every point after the finish.";
    public static final String STATS_TUMBLING_WINDOW_MS_CONFIG = "stats.tumbling.window.ms";
    private static final String STATS_TUMBLING_WINDOW_MS_DOC = "Size of the tumbling windows of the rolling statistics.";
    public static final String STATS_HOPPING_WINDOW_MS_CONFIG = "stats.hopping.window.ms";
    private static final String STATS_HOPPING_WINDOW_MS_DOC = "Size of the hopping windows; a multiple of stats.hopping.advance.ms.";
    public static final String STATS_HOPPING_ADVANCE_MS_CONFIG = "stats.hopping.advance.ms";
    private static final String STATS_HOPPING_ADVANCE_MS_DOC = "Advance of the hopping windows.";
    public static final String STATS_GRACE_MS_CONFIG = "stats.grace.ms";
    private static final String STATS_GRACE_MS_DOC = "How long after a window's end (in event time) late points are still counted before it is emitted.";
    public static final String STATS_RUN_EMIT_INTERVAL_MS_CONFIG = "stats.run.emit.interval.ms";
    private static final String STATS_RUN_EMIT_INTERVAL_MS_DOC = "Least event time between two whole-run (RUN) stats records of a metric; "
            + "0 emits after every batch. The final ones are emitted when the run finishes.";
    public static final String STATS_FINISHED_RETENTION_MS_CONFIG = "stats.finished.retention.ms";
    private static final String STATS_FINISHED_RETENTION_MS_DOC = "How long the whole-run stats and history of a finished run stay queryable "
            + "over HTTP (wall clock after its finish); ClickHouse keeps them for good.";
    public static final String STATS_EWMA_ALPHA_CONFIG = "stats.ewma.alpha";
    private static final String STATS_EWMA_ALPHA_DOC = "Weight of the newest point in the EWMA, in (0, 1].";
    public static final String STATS_HISTORY_SIZE_CONFIG = "stats.history.size";
    private static final String STATS_HISTORY_SIZE_DOC = "Points of history kept per run and metric for /runs/{id}/history (loss_history(n)).";
    public static final String ETA_PROCESS_NOISE_CONFIG = "eta.process.noise";
    private static final String ETA_PROCESS_NOISE_DOC = "Kalman process noise: relative drift of the true rate per sqrt(second).";
    public static final String ETA_MEASUREMENT_NOISE_CONFIG = "eta.measurement.noise";
    private static final String ETA_MEASUREMENT_NOISE_DOC = "Kalman measurement noise: relative standard deviation of one observed rate.";
    public static final String ETA_MIN_OBSERVATION_MS_CONFIG = "eta.min.observation.ms";
    private static final String ETA_MIN_OBSERVATION_MS_DOC = "Least event time between two rate observations (one ETA record each).";
    public static final String ETA_CONFIDENCE_CONFIG = "eta.confidence";
    private static final String ETA_CONFIDENCE_DOC = "Relative uncertainty under which a prediction counts as confident (predicted vs actual at finish).";
    public static final String LEADERBOARD_BUDGET_USD_CONFIG = "leaderboard.budget.usd";
    private static final String LEADERBOARD_BUDGET_USD_DOC = "Budget for best_for_budget; unset leaves the flag false.";
    public static final String LEADERBOARD_QUALITY_TARGET_CONFIG = "leaderboard.quality.target";
    private static final String LEADERBOARD_QUALITY_TARGET_DOC = "Quality target for cheapest_for_quality; unset leaves the flag false.";
    public static final String LEADERBOARD_MAX_ENTRIES_CONFIG = "leaderboard.max.entries";
    private static final String LEADERBOARD_MAX_ENTRIES_DOC = "Runs kept per benchmark board (the best by quality).";
    public static final String EVENT_TIME_MAX_AHEAD_MS_CONFIG = "event.time.max.ahead.ms";
    private static final String EVENT_TIME_MAX_AHEAD_MS_DOC = "How far ahead of this processor's clock an event's ts_micros or a metric point's "
            + "timestamp may be; events beyond it (a training host with a wrong clock) go to the dead-letter topic instead of being processed. "
            + "Outputs carry event time as their Kafka timestamp, which brokers refuse beyond message.timestamp.after.max.ms (1 h by default): "
            + "keep this below that limit. The default leaves 5 minutes for clock differences between this app and the brokers.";
    /** Prefix of settings passed to Kafka Streams as they are, e.g. {@code streams.replication.factor=3}. */
    public static final String STREAMS_PREFIX = "streams.";

    private static final ConfigDef CONFIG = io.entrenar.config.ClientSecurity.define(io.entrenar.ops.OpsConfig.define(new ConfigDef(), 9401))
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(APPLICATION_ID_CONFIG, Type.STRING, "entrenar-processors", new ConfigDef.NonEmptyString(), Importance.HIGH, APPLICATION_ID_DOC)
            .define(STATE_DIR_CONFIG, Type.STRING, Path.of(System.getProperty("java.io.tmpdir"), "entrenar-processors").toString(),
                    Importance.MEDIUM, STATE_DIR_DOC)
            .define(NUM_STREAM_THREADS_CONFIG, Type.INT, 1, Range.atLeast(1), Importance.MEDIUM, NUM_STREAM_THREADS_DOC)
            .define(COMMIT_INTERVAL_MS_CONFIG, Type.LONG, 100L, Range.atLeast(1), Importance.MEDIUM, COMMIT_INTERVAL_MS_DOC)
            .define(HTTP_HOST_CONFIG, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.MEDIUM, HTTP_HOST_DOC)
            .define(HTTP_ADVERTISED_HOST_CONFIG, Type.STRING, "", Importance.LOW, HTTP_ADVERTISED_HOST_DOC)
            .define(HTTP_PORT_CONFIG, Type.INT, 8086, Range.between(0, 65535), Importance.MEDIUM, HTTP_PORT_DOC)
            .define(ANDON_RULES_FILE_CONFIG, Type.STRING, "", Importance.HIGH, ANDON_RULES_FILE_DOC)
            .define(ANDON_CHECK_INTERVAL_MS_CONFIG, Type.LONG, 1000L, Range.atLeast(10), Importance.LOW, ANDON_CHECK_INTERVAL_MS_DOC)
            .define(ANDON_FINISH_GRACE_MS_CONFIG, Type.LONG, ProcessorsTopology.Settings.DEFAULT_FINISH_GRACE.toMillis(), Range.atLeast(0),
                    Importance.LOW, ANDON_FINISH_GRACE_MS_DOC)
            .define(STATS_TUMBLING_WINDOW_MS_CONFIG, Type.LONG, 60_000L, Range.atLeast(1), Importance.MEDIUM, STATS_TUMBLING_WINDOW_MS_DOC)
            .define(STATS_HOPPING_WINDOW_MS_CONFIG, Type.LONG, 300_000L, Range.atLeast(1), Importance.MEDIUM, STATS_HOPPING_WINDOW_MS_DOC)
            .define(STATS_HOPPING_ADVANCE_MS_CONFIG, Type.LONG, 60_000L, Range.atLeast(1), Importance.MEDIUM, STATS_HOPPING_ADVANCE_MS_DOC)
            .define(STATS_GRACE_MS_CONFIG, Type.LONG, 5_000L, Range.atLeast(0), Importance.LOW, STATS_GRACE_MS_DOC)
            .define(STATS_RUN_EMIT_INTERVAL_MS_CONFIG, Type.LONG, 1000L, Range.atLeast(0), Importance.LOW, STATS_RUN_EMIT_INTERVAL_MS_DOC)
            .define(STATS_FINISHED_RETENTION_MS_CONFIG, Type.LONG, 3_600_000L, Range.atLeast(0), Importance.LOW, STATS_FINISHED_RETENTION_MS_DOC)
            .define(STATS_EWMA_ALPHA_CONFIG, Type.DOUBLE, 0.1, Importance.LOW, STATS_EWMA_ALPHA_DOC)
            .define(STATS_HISTORY_SIZE_CONFIG, Type.INT, 200, Range.between(1, 100_000), Importance.LOW, STATS_HISTORY_SIZE_DOC)
            .define(ETA_PROCESS_NOISE_CONFIG, Type.DOUBLE, 0.05, Importance.LOW, ETA_PROCESS_NOISE_DOC)
            .define(ETA_MEASUREMENT_NOISE_CONFIG, Type.DOUBLE, 0.2, Importance.LOW, ETA_MEASUREMENT_NOISE_DOC)
            .define(ETA_MIN_OBSERVATION_MS_CONFIG, Type.LONG, 1000L, Range.atLeast(1), Importance.LOW, ETA_MIN_OBSERVATION_MS_DOC)
            .define(ETA_CONFIDENCE_CONFIG, Type.DOUBLE, 0.05, Importance.LOW, ETA_CONFIDENCE_DOC)
            .define(LEADERBOARD_BUDGET_USD_CONFIG, Type.DOUBLE, null, Importance.LOW, LEADERBOARD_BUDGET_USD_DOC)
            .define(LEADERBOARD_QUALITY_TARGET_CONFIG, Type.DOUBLE, null, Importance.LOW, LEADERBOARD_QUALITY_TARGET_DOC)
            .define(LEADERBOARD_MAX_ENTRIES_CONFIG, Type.INT, 1000, Range.atLeast(1), Importance.LOW, LEADERBOARD_MAX_ENTRIES_DOC)
            .define(EVENT_TIME_MAX_AHEAD_MS_CONFIG, Type.LONG, ProcessorsTopology.Settings.DEFAULT_MAX_AHEAD.toMillis(), Range.atLeast(0),
                    Importance.MEDIUM, EVENT_TIME_MAX_AHEAD_MS_DOC)
            .define(io.entrenar.control.ControlKeys.FILE_CONFIG, Type.STRING, "", Importance.MEDIUM,
                    io.entrenar.control.ControlKeys.FILE_DOC);

    private final ProcessorsTopology.Settings settings;

    public ProcessorsConfig(Map<String, ?> originals) {
        super(CONFIG, originals);
        io.entrenar.config.ClientSecurity.validate(this);
        this.settings = new ProcessorsTopology.Settings(statsSettings(), andonRules(), Duration.ofMillis(getLong(ANDON_CHECK_INTERVAL_MS_CONFIG)),
                etaSettings(), leaderboardSettings(), Duration.ofMillis(getLong(ANDON_FINISH_GRACE_MS_CONFIG)),
                Duration.ofMillis(getLong(EVENT_TIME_MAX_AHEAD_MS_CONFIG)));
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Key prefixes accepted besides the defined keys. */
    public static Set<String> dynamicPrefixes() {
        return Set.of(STREAMS_PREFIX);
    }

    ProcessorsTopology.Settings settings() {
        return settings;
    }

    /** The registry client's settings: URL, auth and TLS. */
    Map<String, Object> registryClientConfigs() {
        return io.entrenar.config.ClientSecurity.registryClientConfigs(this);
    }

    /** The {@value #STREAMS_PREFIX} settings without their prefix. */
    Map<String, Object> streamsOverrides() {
        return new HashMap<>(originalsWithPrefix(STREAMS_PREFIX));
    }

    private StatsSettings statsSettings() {
        try {
            return new StatsSettings(Duration.ofMillis(getLong(STATS_TUMBLING_WINDOW_MS_CONFIG)), Duration.ofMillis(getLong(STATS_HOPPING_WINDOW_MS_CONFIG)),
                    Duration.ofMillis(getLong(STATS_HOPPING_ADVANCE_MS_CONFIG)), Duration.ofMillis(getLong(STATS_GRACE_MS_CONFIG)),
                    getDouble(STATS_EWMA_ALPHA_CONFIG), getInt(STATS_HISTORY_SIZE_CONFIG), Duration.ofSeconds(1),
                    Duration.ofMillis(getLong(STATS_RUN_EMIT_INTERVAL_MS_CONFIG)), Duration.ofMillis(getLong(STATS_FINISHED_RETENTION_MS_CONFIG)));
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().contains("alpha") ? STATS_EWMA_ALPHA_CONFIG : STATS_HOPPING_WINDOW_MS_CONFIG;
            throw new ConfigException("Invalid value " + originals().get(key) + " for configuration " + key + ": " + e.getMessage());
        }
    }

    private AndonRules andonRules() {
        String file = getString(ANDON_RULES_FILE_CONFIG);
        if (file == null || file.isBlank()) {
            return AndonRules.defaults();
        }
        try {
            return AndonRules.load(Path.of(file));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid value " + file + " for configuration " + ANDON_RULES_FILE_CONFIG + ": " + e.getMessage());
        }
    }

    private EtaSettings etaSettings() {
        try {
            return new EtaSettings(getDouble(ETA_PROCESS_NOISE_CONFIG), getDouble(ETA_MEASUREMENT_NOISE_CONFIG),
                    Duration.ofMillis(getLong(ETA_MIN_OBSERVATION_MS_CONFIG)), getDouble(ETA_CONFIDENCE_CONFIG));
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().contains("process") ? ETA_PROCESS_NOISE_CONFIG
                    : e.getMessage().contains("measurement") ? ETA_MEASUREMENT_NOISE_CONFIG : ETA_CONFIDENCE_CONFIG;
            throw new ConfigException("Invalid value " + originals().get(key) + " for configuration " + key + ": " + e.getMessage());
        }
    }

    private LeaderboardSettings leaderboardSettings() {
        try {
            return new LeaderboardSettings(getDouble(LEADERBOARD_BUDGET_USD_CONFIG), getDouble(LEADERBOARD_QUALITY_TARGET_CONFIG),
                    getInt(LEADERBOARD_MAX_ENTRIES_CONFIG));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid value " + originals().get(LEADERBOARD_BUDGET_USD_CONFIG) + " for configuration "
                    + LEADERBOARD_BUDGET_USD_CONFIG + ": " + e.getMessage());
        }
    }
}
