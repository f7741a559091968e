package io.entrenar.schemas;

/**
 * Headers of records on {@code entrenar.dlq.v1}. The value (and key) are the original bytes, so a
 * dead letter can be inspected or replayed as it was; the headers say why and where it came from.
 */
public final class DeadLetter {
    /** Why the record could not be processed, for people (UTF-8). */
    public static final String REASON = "entrenar.dlq.reason";
    /** A stable code for the reason, e.g. MISSING_MAGIC_BYTE, HTTP_410, RETRIES_EXHAUSTED. */
    public static final String PROBLEM = "entrenar.dlq.problem";
    /** The component that gave up: sink, processors, alerting, ... */
    public static final String SOURCE = "entrenar.dlq.source";
    /** Where the original record was: topic, partition, offset (when it came from Kafka). */
    public static final String ORIGINAL_TOPIC = "entrenar.dlq.topic";
    public static final String ORIGINAL_PARTITION = "entrenar.dlq.partition";
    public static final String ORIGINAL_OFFSET = "entrenar.dlq.offset";

    private DeadLetter() {
    }
}
