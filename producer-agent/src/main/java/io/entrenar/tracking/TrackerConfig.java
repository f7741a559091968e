package io.entrenar.tracking;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.entrenar.config.KafkaClients;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of a {@link Tracker} (and of the agent, which owns one). Keys prefixed {@code producer.}
 * pass through to the Kafka producer, except the ones that the delivery guarantees depend on.
 */
public final class TrackerConfig extends AbstractConfig {
    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka brokers, host:port[,host:port...].";
    public static final String BOOTSTRAP_SERVERS_DEFAULT = "localhost:9092";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Confluent-API schema registry base URL.";
    public static final String SCHEMA_REGISTRY_URL_DEFAULT = "http://localhost:8081";

    public static final String SPOOL_DIR_CONFIG = "spool.dir";
    private static final String SPOOL_DIR_DOC = "Directory of the on-disk spool (write-ahead segments); each process "
            + "writes its own subdirectory and replays those of dead processes at start. Default ~/.entrenar/spool.";
    public static final String SPOOL_DIR_DEFAULT = Path.of(System.getProperty("user.home"), ".entrenar", "spool").toString();

    public static final String SPOOL_FSYNC_CONFIG = "spool.fsync";
    private static final String SPOOL_FSYNC_DOC = "When spool appends reach the disk: always (every record; survives "
            + "power loss), interval (every spool.fsync.interval.ms), never (left to the OS; survives kill -9 only).";
    public static final String SPOOL_FSYNC_DEFAULT = "interval";

    public static final String SPOOL_FSYNC_INTERVAL_MS_CONFIG = "spool.fsync.interval.ms";
    private static final String SPOOL_FSYNC_INTERVAL_MS_DOC = "fsync period for spool.fsync=interval.";
    public static final long SPOOL_FSYNC_INTERVAL_MS_DEFAULT = 1000L;

    public static final String SPOOL_SEGMENT_BYTES_CONFIG = "spool.segment.bytes";
    private static final String SPOOL_SEGMENT_BYTES_DOC = "Size at which a spool segment is rolled; a segment is "
            + "deleted once every record in it is acknowledged by the broker.";
    public static final int SPOOL_SEGMENT_BYTES_DEFAULT = 8 * 1024 * 1024;

    public static final String SPOOL_MAX_BYTES_CONFIG = "spool.max.bytes";
    private static final String SPOOL_MAX_BYTES_DOC = "Disk budget of this process's spool. Beyond it (or when the "
            + "disk is full) new events are refused with a loud counted error; training continues.";
    public static final long SPOOL_MAX_BYTES_DEFAULT = 1024L * 1024 * 1024;

    public static final String SPOOL_WRITE_BEHIND_MS_CONFIG = "spool.write.behind.ms";
    private static final String SPOOL_WRITE_BEHIND_MS_DOC = "While the broker answers, events are sent from memory and "
            + "written to the spool only if still unacknowledged after this delay (or when a send fails), so a healthy "
            + "broker costs no disk writes and a crash loses nothing older than flush.interval.ms plus this delay. "
            + "0 spools every event before sending it (write-ahead).";
    public static final long SPOOL_WRITE_BEHIND_MS_DEFAULT = 50L;

    public static final String RING_CAPACITY_CONFIG = "ring.capacity";
    private static final String RING_CAPACITY_DOC = "Metric points each logging thread's in-memory ring holds until the "
            + "drain thread takes them (32 bytes a point, allocated on the thread's first point); a power of two. "
            + "A full ring does not block: further points take a slower, allocating overflow path.";
    public static final int RING_CAPACITY_DEFAULT = 1 << 16;

    public static final String CONGESTION_MAX_WAITING_POINTS_CONFIG = "congestion.max.waiting.points";
    private static final String CONGESTION_MAX_WAITING_POINTS_DOC = "While the broker takes events more slowly than they "
            + "come, the drain thread leaves metric points in memory (rings and overflow chunks, 32 bytes a point) rather "
            + "than queue batches through the spool, up to this many points in all. Beyond that it batches them anyway and "
            + "the spool queues them on disk (bounded by spool.max.bytes), so a slow broker cannot grow the heap without "
            + "bound. When set, at least ring.capacity; by default 4,194,304 (128 MiB), or ring.capacity when that is larger.";
    public static final long CONGESTION_MAX_WAITING_POINTS_DEFAULT = 1L << 22;

    public static final String FLUSH_INTERVAL_MS_CONFIG = "flush.interval.ms";
    private static final String FLUSH_INTERVAL_MS_DOC = "Longest time a metric point waits in a batch. Each batch is "
            + "a Kafka record, so a training loop logging a point every few ms sends one record per interval: shorter "
            + "intervals cost the training JVM's cores more than they gain in latency.";
    public static final long FLUSH_INTERVAL_MS_DEFAULT = 20L;

    public static final String FLUSH_MAX_POINTS_CONFIG = "flush.max.points";
    private static final String FLUSH_MAX_POINTS_DOC = "Points per MetricBatch record; a full batch is flushed at once.";
    public static final int FLUSH_MAX_POINTS_DEFAULT = 2048;

    public static final String METRIC_TIMESTAMPS_CONFIG = "metric.timestamps";
    private static final String METRIC_TIMESTAMPS_DOC = "How logMetric stamps a point: coarse (the drain thread's clock "
            + "tick, refreshed at least every millisecond: about 1 ns on the training thread) or precise (System.nanoTime() "
            + "per point: about 20 ns more).";
    public static final String METRIC_TIMESTAMPS_DEFAULT = "coarse";

    public static final String OUTAGE_AFTER_MS_CONFIG = "outage.after.ms";
    private static final String OUTAGE_AFTER_MS_DOC = "An unacknowledged send older than this marks the broker "
            + "unreachable: new events stay in the spool until it answers again.";
    public static final long OUTAGE_AFTER_MS_DEFAULT = 2000L;

    public static final String PRODUCER_ID_CONFIG = "producer.id";
    private static final String PRODUCER_ID_DOC = "Identity of this process in MetricBatch.producer_id; default host:pid.";

    public static final String SHUTDOWN_HOOK_CONFIG = "shutdown.hook";
    private static final String SHUTDOWN_HOOK_DOC = "Close the tracker (flush, or spool what the broker does not take) "
            + "when the JVM exits. The agent turns this off: it finishes its run first, then closes the tracker.";

    public static final String CONTROL_KEYS_FILE_CONFIG = io.entrenar.control.ControlKeys.FILE_CONFIG;

    public static final String CONTROL_UNSIGNED_ALLOWED_CONFIG = "control.unsigned.allowed";
    private static final String CONTROL_UNSIGNED_ALLOWED_DOC = "Obey control commands that carry no valid signature. "
            + "Only for a development stack on this machine: refused unless every bootstrap server is a loopback address.";

    public static final String CONTROL_MAX_AGE_MS_CONFIG = "control.max.age.ms";
    public static final long CONTROL_MAX_AGE_MS_DEFAULT = 300_000;
    private static final String CONTROL_MAX_AGE_MS_DOC = "A command issued longer ago than this (or this far in the future, "
            + "by its ts_micros) is stale and ignored, as is one past its expires_at_micros.";

    public static final String ENERGY_CPU_WATTS_PER_CORE_CONFIG = "energy.cpu.watts.per.core";
    public static final double ENERGY_CPU_WATTS_PER_CORE_DEFAULT = 10.0;
    private static final String ENERGY_CPU_WATTS_PER_CORE_DOC = "Power of one fully busy CPU core, for a run's energy "
            + "when RAPL cannot be read: CPU seconds of the process over the run x this (a server core draws roughly 5-15 W "
            + "under load; the estimate is flagged measured=false).";
    public static final String ENERGY_PUE_CONFIG = "energy.pue";
    private static final String ENERGY_PUE_DOC = "Power usage effectiveness of the site (facility power / IT power), "
            + "applied to the energy before kWh, cost and carbon.";
    public static final String ENERGY_PRICE_USD_PER_KWH_CONFIG = "energy.price.usd.per.kwh";
    private static final String ENERGY_PRICE_USD_PER_KWH_DOC = "Price of a kWh: adds energy x price to a run's cost. "
            + "Empty: energy costs nothing beyond the platform's hourly rate.";
    public static final String CARBON_INTENSITY_CONFIG = "carbon.intensity.g.per.kwh";
    private static final String CARBON_INTENSITY_DOC = "Grid carbon intensity (gCO2e per kWh) for a run's carbon, when its "
            + "platform does not give one. Empty: carbon is unknown (null).";

    public static final String PRODUCER_PREFIX = "producer.";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, BOOTSTRAP_SERVERS_DEFAULT, new ConfigDef.NonEmptyString(), Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, SCHEMA_REGISTRY_URL_DEFAULT, new ConfigDef.NonEmptyString(), Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(SPOOL_DIR_CONFIG, Type.STRING, SPOOL_DIR_DEFAULT, new ConfigDef.NonEmptyString(), Importance.HIGH, SPOOL_DIR_DOC)
            .define(SPOOL_FSYNC_CONFIG, Type.STRING, SPOOL_FSYNC_DEFAULT, ConfigDef.CaseInsensitiveValidString.in("always", "interval", "never"), Importance.MEDIUM, SPOOL_FSYNC_DOC)
            .define(SPOOL_FSYNC_INTERVAL_MS_CONFIG, Type.LONG, SPOOL_FSYNC_INTERVAL_MS_DEFAULT, ConfigDef.Range.between(1, 3_600_000), Importance.LOW, SPOOL_FSYNC_INTERVAL_MS_DOC)
            .define(SPOOL_SEGMENT_BYTES_CONFIG, Type.INT, SPOOL_SEGMENT_BYTES_DEFAULT, ConfigDef.Range.between(64 * 1024, 1 << 30), Importance.LOW, SPOOL_SEGMENT_BYTES_DOC)
            .define(SPOOL_MAX_BYTES_CONFIG, Type.LONG, SPOOL_MAX_BYTES_DEFAULT, ConfigDef.Range.atLeast(64 * 1024), Importance.MEDIUM, SPOOL_MAX_BYTES_DOC)
            .define(SPOOL_WRITE_BEHIND_MS_CONFIG, Type.LONG, SPOOL_WRITE_BEHIND_MS_DEFAULT, ConfigDef.Range.between(0, 60_000), Importance.LOW, SPOOL_WRITE_BEHIND_MS_DOC)
            .define(RING_CAPACITY_CONFIG, Type.INT, RING_CAPACITY_DEFAULT, ConfigDef.Range.between(64, 1 << 26), Importance.MEDIUM, RING_CAPACITY_DOC)
            .define(CONGESTION_MAX_WAITING_POINTS_CONFIG, Type.LONG, CONGESTION_MAX_WAITING_POINTS_DEFAULT, ConfigDef.Range.atLeast(64), Importance.LOW, CONGESTION_MAX_WAITING_POINTS_DOC)
            .define(FLUSH_INTERVAL_MS_CONFIG, Type.LONG, FLUSH_INTERVAL_MS_DEFAULT, ConfigDef.Range.between(1, 60_000), Importance.MEDIUM, FLUSH_INTERVAL_MS_DOC)
            .define(FLUSH_MAX_POINTS_CONFIG, Type.INT, FLUSH_MAX_POINTS_DEFAULT, ConfigDef.Range.between(1, 1 << 20), Importance.MEDIUM, FLUSH_MAX_POINTS_DOC)
            .define(METRIC_TIMESTAMPS_CONFIG, Type.STRING, METRIC_TIMESTAMPS_DEFAULT, ConfigDef.CaseInsensitiveValidString.in("coarse", "precise"), Importance.LOW, METRIC_TIMESTAMPS_DOC)
            .define(OUTAGE_AFTER_MS_CONFIG, Type.LONG, OUTAGE_AFTER_MS_DEFAULT, ConfigDef.Range.between(10, 600_000), Importance.LOW, OUTAGE_AFTER_MS_DOC)
            .define(PRODUCER_ID_CONFIG, Type.STRING, "", Importance.LOW, PRODUCER_ID_DOC)
            .define(SHUTDOWN_HOOK_CONFIG, Type.BOOLEAN, true, Importance.LOW, SHUTDOWN_HOOK_DOC)
            .define(CONTROL_KEYS_FILE_CONFIG, Type.STRING, "", Importance.MEDIUM, io.entrenar.control.ControlKeys.FILE_DOC)
            .define(CONTROL_UNSIGNED_ALLOWED_CONFIG, Type.BOOLEAN, false, Importance.LOW, CONTROL_UNSIGNED_ALLOWED_DOC)
            .define(CONTROL_MAX_AGE_MS_CONFIG, Type.LONG, CONTROL_MAX_AGE_MS_DEFAULT, ConfigDef.Range.atLeast(1000), Importance.LOW,
                    CONTROL_MAX_AGE_MS_DOC)
            .define(ENERGY_CPU_WATTS_PER_CORE_CONFIG, Type.DOUBLE, ENERGY_CPU_WATTS_PER_CORE_DEFAULT, ConfigDef.Range.between(0.1, 1000),
                    Importance.LOW, ENERGY_CPU_WATTS_PER_CORE_DOC)
            .define(ENERGY_PUE_CONFIG, Type.DOUBLE, 1.0, ConfigDef.Range.between(1.0, 5.0), Importance.LOW, ENERGY_PUE_DOC)
            .define(ENERGY_PRICE_USD_PER_KWH_CONFIG, Type.STRING, "", Importance.LOW, ENERGY_PRICE_USD_PER_KWH_DOC)
            .define(CARBON_INTENSITY_CONFIG, Type.STRING, "", Importance.LOW, CARBON_INTENSITY_DOC);

    private final KafkaClients clients;

    public TrackerConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        if (getBoolean(CONTROL_UNSIGNED_ALLOWED_CONFIG)) {
            for (String server : bootstrapServers().split(",")) {
                if (!io.entrenar.config.Loopback.host(server)) {
                    throw new ConfigException(CONTROL_UNSIGNED_ALLOWED_CONFIG, true, "allowed only when every bootstrap "
                            + "server is on this machine's loopback (" + server.strip() + " is not): unsigned commands could "
                            + "come from anyone who can write entrenar.control.v1");
                }
            }
        }
        int ring = getInt(RING_CAPACITY_CONFIG);
        if (Integer.bitCount(ring) != 1) {
            throw new ConfigException(RING_CAPACITY_CONFIG, ring, "must be a power of two");
        }
        if (originals.containsKey(CONGESTION_MAX_WAITING_POINTS_CONFIG) && getLong(CONGESTION_MAX_WAITING_POINTS_CONFIG) < ring) {
            throw new ConfigException(CONGESTION_MAX_WAITING_POINTS_CONFIG, getLong(CONGESTION_MAX_WAITING_POINTS_CONFIG),
                    "must be at least " + RING_CAPACITY_CONFIG + " (" + ring + ")");
        }
        if (getLong(SPOOL_MAX_BYTES_CONFIG) < getInt(SPOOL_SEGMENT_BYTES_CONFIG)) {
            throw new ConfigException(SPOOL_MAX_BYTES_CONFIG, getLong(SPOOL_MAX_BYTES_CONFIG),
                    "must be at least " + SPOOL_SEGMENT_BYTES_CONFIG + " (" + getInt(SPOOL_SEGMENT_BYTES_CONFIG) + ")");
        }
        footprint(); // a bad price or intensity fails here, before anything starts
        for (String reserved : new String[] {"enable.idempotence", "acks", "key.serializer", "value.serializer", "bootstrap.servers"}) {
            if (originals.containsKey(PRODUCER_PREFIX + reserved)) {
                throw new ConfigException(PRODUCER_PREFIX + reserved, originals.get(PRODUCER_PREFIX + reserved),
                        "is fixed by the tracker (idempotent acks=all delivery); remove it");
            }
        }
        this.clients = clientFactory();
    }

    /**
     * The tracker's Kafka clients (its producer, the control listener's consumer, a spool replay's
     * producer) all connect with the security settings given for the producer
     * ({@code producer.security.protocol}, {@code producer.ssl.*}, {@code producer.sasl.*}): a listener
     * that connected without them would never see a command on a secured cluster.
     */
    private KafkaClients clientFactory() {
        Map<String, Object> security = new HashMap<>();
        originalsWithPrefix(PRODUCER_PREFIX).forEach((key, value) -> {
            if (io.entrenar.config.ClientSecurity.isKafkaSecurityKey(key)) {
                security.put(key, value);
            }
        });
        try {
            // Client ids entrenar-tracker-*: the agent tells its own network thread ("kafka-producer-network-thread
            // | entrenar-tracker-events") from the application's in the JFR events it aggregates.
            return new KafkaClients(bootstrapServers(), security, "entrenar-tracker");
        } catch (ConfigException e) {
            if (security.isEmpty()) {
                throw e;
            }
            throw new ConfigException(e.getMessage() + " (the tracker's Kafka security settings are "
                    + PRODUCER_PREFIX + "security.protocol, " + PRODUCER_PREFIX + "ssl.*, " + PRODUCER_PREFIX + "sasl.*)");
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Energy, cost and carbon settings of a run's footprint. */
    RunFootprint.Settings footprint() {
        return new RunFootprint.Settings(getDouble(ENERGY_CPU_WATTS_PER_CORE_CONFIG), getDouble(ENERGY_PUE_CONFIG),
                optionalNonNegative(ENERGY_PRICE_USD_PER_KWH_CONFIG), optionalNonNegative(CARBON_INTENSITY_CONFIG));
    }

    private Double optionalNonNegative(String key) {
        String v = getString(key).strip();
        if (v.isEmpty()) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            if (d >= 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, v, "must be empty or a number >= 0");
    }

    /** The control-command key file (the setting, else its default). */
    public java.nio.file.Path controlKeysFile() {
        return io.entrenar.control.ControlKeys.resolve(getString(CONTROL_KEYS_FILE_CONFIG), System.getenv());
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS_CONFIG);
    }

    public String registryUrl() {
        return getString(SCHEMA_REGISTRY_URL_CONFIG);
    }

    public Path spoolDir() {
        String dir = getString(SPOOL_DIR_CONFIG);
        return dir.startsWith("~/") ? Path.of(System.getProperty("user.home"), dir.substring(2)) : Path.of(dir);
    }

    FsyncPolicy fsyncPolicy() {
        return FsyncPolicy.valueOf(getString(SPOOL_FSYNC_CONFIG).toUpperCase(Locale.ROOT));
    }

    long fsyncIntervalMs() {
        return getLong(SPOOL_FSYNC_INTERVAL_MS_CONFIG);
    }

    int segmentBytes() {
        return getInt(SPOOL_SEGMENT_BYTES_CONFIG);
    }

    long spoolMaxBytes() {
        return getLong(SPOOL_MAX_BYTES_CONFIG);
    }

    long spoolWriteBehindMs() {
        return getLong(SPOOL_WRITE_BEHIND_MS_CONFIG);
    }

    int ringCapacity() {
        return getInt(RING_CAPACITY_CONFIG);
    }

    long congestionMaxWaitingPoints() {
        long bound = getLong(CONGESTION_MAX_WAITING_POINTS_CONFIG);
        return originals().containsKey(CONGESTION_MAX_WAITING_POINTS_CONFIG) ? bound : Math.max(bound, getInt(RING_CAPACITY_CONFIG));
    }

    long flushIntervalMs() {
        return getLong(FLUSH_INTERVAL_MS_CONFIG);
    }

    int flushMaxPoints() {
        return getInt(FLUSH_MAX_POINTS_CONFIG);
    }

    boolean preciseTimestamps() {
        return getString(METRIC_TIMESTAMPS_CONFIG).equalsIgnoreCase("precise");
    }

    long outageAfterMs() {
        return getLong(OUTAGE_AFTER_MS_CONFIG);
    }

    String producerId() {
        String id = getString(PRODUCER_ID_CONFIG);
        return id.isEmpty() ? ProcessIdentity.hostAndPid() : id;
    }

    boolean shutdownHook() {
        return getBoolean(SHUTDOWN_HOOK_CONFIG);
    }

    /** The factory of the tracker's Kafka clients: its servers and security settings. */
    public KafkaClients clients() {
        return clients;
    }

    /**
     * The producer's own settings, for {@link #clients()}: ours, then the user's {@code producer.*}
     * overrides of the tunable ones (the security keys among them go to every client of the tracker).
     */
    Map<String, Object> producerOverrides() {
        Map<String, Object> p = new HashMap<>();
        p.put("enable.idempotence", true);
        p.put("acks", "all");
        p.put("compression.type", "lz4");
        p.put("linger.ms", 5);
        p.put("batch.size", 256 * 1024);
        // The drain thread must never wait on Kafka: metadata or buffer trouble surfaces at once and the
        // event stays in the spool for a later replay.
        p.put("max.block.ms", 0);
        p.put("delivery.timeout.ms", 120_000);
        // Topics we write rarely (failures, artifacts) must not fall out of the metadata cache:
        // with max.block.ms=0 a send to an unknown topic fails at once.
        p.put("metadata.max.idle.ms", 86_400_000);
        originalsWithPrefix(PRODUCER_PREFIX).forEach((key, value) -> {
            if (!io.entrenar.config.ClientSecurity.isKafkaSecurityKey(key)) {
                p.put(key, value);
            }
        });
        p.remove("id");
        return p;
    }

    /** Registry client settings ({@code schema.registry.url}, {@code basic.auth.*}). */
    public Map<String, Object> registryProperties() {
        Map<String, Object> r = new HashMap<>();
        for (Map.Entry<String, Object> e : originals().entrySet()) {
            if (e.getKey().startsWith("basic.auth.") || e.getKey().startsWith("schema.registry.")) {
                r.put(e.getKey(), e.getValue());
            }
        }
        r.put(SCHEMA_REGISTRY_URL_CONFIG, registryUrl());
        return r;
    }

    /** Keys accepted beyond the ConfigDef: producer pass-through and registry auth. */
    static boolean isPassThrough(String key) {
        return key.startsWith(PRODUCER_PREFIX) || key.startsWith("basic.auth.") || key.startsWith("schema.registry.");
    }
}
