package io.entrenar.alerting;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.entrenar.config.KafkaClients;
import io.entrenar.events.Alert;
import io.entrenar.ops.Metrics;
import io.entrenar.ops.OpsServer;
import io.entrenar.control.ControlPublisher;
import io.entrenar.events.AlertAction;
import io.entrenar.events.AlertState;
import io.entrenar.events.ControlAction;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.serde.AvroSerdeConfig;
import io.entrenar.serde.WireFormatException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerting app: consumes {@code entrenar.alerts.v1}, routes each incident transition to its
 * channels, records acceptance in the delivery log before committing the alert's offset, and
 * hands deliveries to one worker per channel. Emergency-stop alerts also publish STOP.
 */
public final class AlertingApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertingApp.class);

    private final Routing routing;
    private final SchemaRegistryClient registry;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    /** Typed as Object: a record of another type on the topic must reach the check in {@code accept}, not a cast. */
    private final AvroDeserializer<Object> alerts;
    private final DeliveryLog log;
    private final DeadLetters deadLetters;
    private final ControlPublisher control;
    private final boolean emergencyStop;
    private final Map<String, ChannelWorker> workers = new LinkedHashMap<>();
    private final DeliveryStats stats = new DeliveryStats();
    private final Thread router;
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile long lag = -1;
    private final java.util.concurrent.atomic.AtomicLong consumed = new java.util.concurrent.atomic.AtomicLong();
    /** Incidents seen FIRING and not yet RESOLVED since this instance started. */
    private final java.util.Set<String> openIncidents = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private AlertingApp(AlertingConfig config, Routing routing) {
        this.routing = routing;
        this.emergencyStop = config.getBoolean(AlertingConfig.EMERGENCY_STOP_CONFIG);
        KafkaClients clients = KafkaClients.of(config, "entrenar-alerting");
        this.registry = CachedSchemaRegistryClient.fromConfigs(io.entrenar.config.ClientSecurity.registryClientConfigs(config));
        Map<String, Object> producerConfigs = Map.of("acks", "all", "enable.idempotence", true, "linger.ms", 0);
        this.producer = clients.producer("writer", producerConfigs, new StringSerializer(), new ByteArraySerializer());
        this.log = DeliveryLog.open(config.getString(AlertingConfig.STATE_TOPIC_CONFIG),
                config.getShort(AlertingConfig.STATE_TOPIC_REPLICATION_FACTOR_CONFIG), clients, producer);
        this.deadLetters = new DeadLetters(producer);
        this.control = new ControlPublisher(clients, producerConfigs, registry, io.entrenar.control.ControlKeys.loadOrCreate(
                io.entrenar.control.ControlKeys.resolve(config.getString(AlertingConfig.CONTROL_KEYS_FILE_CONFIG), System.getenv())));
        this.alerts = new AvroDeserializer<>(registry, Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        routing.channels().values().forEach(c -> workers.put(c.name(), new ChannelWorker(c, log, deadLetters, stats, http)));
        List<Notification> pending = log.pending();
        for (Notification n : pending) {
            ChannelWorker worker = workers.get(n.channel());
            if (worker == null) {
                LOG.error("delivery {} is pending for channel {}, which the routing file no longer has; dead-lettering it",
                        n.deliveryId(), n.channel());
                deadLetters.send(n, n.channel(), "CHANNEL_REMOVED", "channel " + n.channel() + " no longer configured");
                log.dead(n, 0, "channel removed from the routing file");
            } else {
                worker.submit(n);
            }
        }
        if (!pending.isEmpty()) {
            LOG.info("resumed {} pending deliveries from {}", pending.size(), config.getString(AlertingConfig.STATE_TOPIC_CONFIG));
        }
        Map<String, Object> consumerConfigs = new HashMap<>();
        consumerConfigs.put("group.id", config.getString(AlertingConfig.GROUP_ID_CONFIG));
        consumerConfigs.put("enable.auto.commit", false);
        consumerConfigs.put("auto.offset.reset", "earliest");
        consumerConfigs.put("isolation.level", "read_committed");
        consumerConfigs.put("fetch.max.wait.ms", 50);
        this.consumer = clients.consumer("alerts", consumerConfigs, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.router = Thread.ofPlatform().name("entrenar-alerting-router").start(this::route);
    }

    /** Reads and validates the routing file; throws {@link InvalidConfigException} with file, line and path. */
    public static void validate(AlertingConfig config) {
        RoutingLoader.load(config.routesFile());
    }

    /** Validates the config and the routing file (line-numbered errors), then starts. */
    public static AlertingApp start(AlertingConfig config) {
        return new AlertingApp(config, RoutingLoader.load(config.routesFile()));
    }

    public DeliveryStats stats() {
        return stats;
    }

    /** Adds this app's series to {@code metrics} (names {@code entrenar_alerting_*}). */
    public void registerMetrics(Metrics metrics) {
        metrics.register("entrenar_alerting_accepted_total", Metrics.Type.COUNTER, "Notifications accepted (one per incident transition and channel).", stats::accepted)
                .register("entrenar_alerting_delivered_total", Metrics.Type.COUNTER, "Notifications delivered (2xx).", stats::delivered)
                .register("entrenar_alerting_retries_total", Metrics.Type.COUNTER, "Delivery attempts that failed and were retried.", stats::retries)
                .register("entrenar_alerting_dead_letters_total", Metrics.Type.COUNTER, "Notifications dead-lettered to entrenar.dlq.v1.", stats::dead)
                .register("entrenar_alerting_duplicates_skipped_total", Metrics.Type.COUNTER, "Redelivered alerts recognised as already accepted.", stats::duplicatesSkipped)
                .register("entrenar_alerting_undecodable_total", Metrics.Type.COUNTER, "Alert records that did not decode (dead-lettered).", stats::undecodable)
                .register("entrenar_alerting_stops_issued_total", Metrics.Type.COUNTER, "STOP commands published for emergency-stop alerts.", stats::stopsIssued)
                .register("entrenar_alerting_alerts_consumed_total", Metrics.Type.COUNTER, "Alert records read from entrenar.alerts.v1.", consumed::get)
                .register("entrenar_alerting_consumer_lag_records", Metrics.Type.GAUGE, "Alert records behind the end of the assigned partitions "
                        + "(-1 until known).", () -> lag)
                .register("entrenar_alerting_open_incidents", Metrics.Type.GAUGE, "Incidents seen FIRING and not yet RESOLVED since this instance started.",
                        openIncidents::size)
                .registerLabelled("entrenar_alerting_backlog", Metrics.Type.GAUGE, "Notifications waiting per channel (open incidents not yet delivered).", () -> {
                    Map<Map<String, String>, Double> backlog = new LinkedHashMap<>();
                    workers.forEach((name, w) -> backlog.put(Map.of("channel", name), (double) w.backlog()));
                    return backlog;
                });
    }

    /** Ready while the router runs. */
    public Map<String, OpsServer.Check> readiness() {
        return Map.of("alert-router", () -> router.isAlive() ? null : "the alert router thread has stopped (see the log)",
                "kafka", () -> assigned ? null : "the alerts consumer has not joined its group yet");
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            router.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.values().forEach(ChannelWorker::close);
        control.close();
        producer.close(Duration.ofSeconds(5));
        registry.close();
    }

    private void route() {
        try (consumer) {
            consumer.subscribe(List.of(Topic.ALERTS.topicName()), new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
                    assigned = true;
                }
            });
            while (running) {
                List<Notification> accepted = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    consumed.incrementAndGet();
                    accept(record, accepted);
                }
                updateLag();
                if (!accepted.isEmpty()) {
                    log.flush(); // acceptance is durable before the offset moves past the alert
                    accepted.forEach(n -> workers.get(n.channel()).submit(n));
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("alert router stopped: {}", e.toString(), e);
        }
    }

    private void updateLag() {
        long total = 0;
        for (org.apache.kafka.common.TopicPartition tp : consumer.assignment()) {
            java.util.OptionalLong l = consumer.currentLag(tp);
            if (l.isEmpty()) {
                return; // not known until the first fetch of that partition: keep the last figure
            }
            total += l.getAsLong();
        }
        lag = total;
    }

    private void accept(ConsumerRecord<byte[], byte[]> record, List<Notification> accepted) {
        Object decoded;
        try {
            decoded = alerts.deserialize(record);
        } catch (WireFormatException e) {
            stats.undecodable.incrementAndGet();
            deadLetters.send(record, e.problem().name(), e.getMessage());
            return;
        }
        if (!(decoded instanceof Alert alert)) {
            // A tombstone or another event type on the alerts topic is not an alert; it must not stop the router.
            stats.undecodable.incrementAndGet();
            deadLetters.send(record, decoded == null ? "TOMBSTONE" : "WRONG_TYPE", decoded == null
                    ? "a record without a value (tombstone) on " + record.topic() + ", which carries alerts"
                    : "a " + ((org.apache.avro.specific.SpecificRecord) decoded).getSchema().getFullName() + " on "
                            + record.topic() + ", which carries io.entrenar.events.Alert");
            return;
        }
        if (alert.getState() == AlertState.FIRING) {
            openIncidents.add(alert.getIncidentId());
        } else {
            openIncidents.remove(alert.getIncidentId());
        }
        long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        for (Routing.Channel channel : routing.channelsFor(alert)) {
            String id = Notification.deliveryId(alert.getIncidentId(), alert.getState().name(), channel.name());
            if (log.known(id)) {
                stats.duplicatesSkipped.incrementAndGet(); // a redelivered alert: already accepted once
                continue;
            }
            Notification n = new Notification(id, channel.name(), alert.getIncidentId(), alert.getState().name(),
                    alert.getRunId(), Payloads.render(channel.type(), alert), now);
            log.accept(n);
            stats.accepted.incrementAndGet();
            accepted.add(n);
        }
        if (emergencyStop && alert.getAction() == AlertAction.EMERGENCY_STOP && alert.getState() == AlertState.FIRING) {
            control.send(alert.getRunId(), ControlAction.STOP, "Andon " + alert.getRule() + ": " + alert.getMessage(),
                    "andon:" + alert.getRule(), alert.getIncidentId());
            stats.stopsIssued.incrementAndGet();
        }
    }
}
