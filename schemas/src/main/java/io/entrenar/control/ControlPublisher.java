package io.entrenar.control;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import io.entrenar.config.KafkaClients;
import io.entrenar.events.ControlAction;
import io.entrenar.events.ControlCommand;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes STOP / PAUSE / RESUME / APPROVE / REJECT to {@code entrenar.control.v1}, keyed by run
 * id so a run's agent sees its commands in order, each signed with the control keys (trackers obey
 * only signed commands). Command ids derived from an incident make a repeated emergency stop
 * recognisable as the same command.
 */
public final class ControlPublisher implements AutoCloseable {
    private final KafkaProducer<String, ControlCommand> producer;

    /**
     * @param clients           the app's client factory: the publisher's producer ({@code <app>-control}) has
     *                          the app's servers and security settings, like every other client of the app
     * @param producerOverrides the producer's own settings (acks, timeouts)
     */
    public ControlPublisher(KafkaClients clients, Map<String, ?> producerOverrides, SchemaRegistryClient registry, ControlKeys keys) {
        this.producer = clients.producer("control", producerOverrides, new StringSerializer(),
                new SigningSerializer<>(new AvroSerializer<>(registry, Map.of(), false), keys));
    }

    /** Sends and waits for the broker's acknowledgement. */
    public RecordMetadata publish(String runId, ControlAction action, String reason, String issuedBy, String incidentId) {
        try {
            return send(runId, action, reason, issuedBy, incidentId).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish " + action + " for run " + runId + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends without waiting; the future completes with the acknowledgement. */
    public Future<RecordMetadata> send(String runId, ControlAction action, String reason, String issuedBy, String incidentId) {
        String commandId = incidentId == null ? UUID.randomUUID().toString() : "andon:" + action.name().toLowerCase() + ":" + incidentId;
        ControlCommand command = ControlCommand.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setRunId(runId)
                .setTsMicros(Instant.now())
                .setLamport(0)
                .setCommandId(commandId)
                .setAction(action)
                .setReason(reason)
                .setIssuedBy(issuedBy)
                .setIncidentId(incidentId)
                .build();
        return producer.send(new ProducerRecord<>(Topic.CONTROL.topicName(), runId, command));
    }

    @Override
    public void close() {
        producer.close();
    }
}
