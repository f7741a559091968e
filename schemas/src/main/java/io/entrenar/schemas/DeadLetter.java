package io.entrenar.schemas;

/**
 * Headers of records on {@code entrenar.dlq.v1}, shared by every app that dead-letters. The value
 * (and key) are the original bytes where there were any, so a dead letter can be inspected or
 * replayed as it was; the headers say why and where it came from.
 */
public final class DeadLetter {
    /** Why, as a stable code: a {@code WireFormatException.Problem} name, REJECTED, RETRIES_EXHAUSTED, ... */
    public static final String REASON = "entrenar.dlq.reason";
    /** Why, for people: what was wrong and where. */
    public static final String MESSAGE = "entrenar.dlq.message";
    /** The app that gave up: sink, processors, alerting. */
    public static final String APP = "entrenar.dlq.app";
    /** Where the original record was, when it came from Kafka. */
    public static final String SOURCE_TOPIC = "entrenar.dlq.source.topic";
    public static final String SOURCE_PARTITION = "entrenar.dlq.source.partition";
    public static final String SOURCE_OFFSET = "entrenar.dlq.source.offset";

    private DeadLetter() {
    }
}
