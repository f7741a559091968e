package io.entrenar.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a valid Confluent-framed Avro datum. The record itself is at fault, so
 * consumers send it to the dead-letter topic instead of retrying; registry outages are reported
 * with a plain {@link SerializationException} instead.
 */
public final class WireFormatException extends SerializationException {
    private static final long serialVersionUID = 1L;

    /** What was wrong with the bytes. */
    public enum Problem {
        /** Fewer bytes than the 5-byte header. */
        TOO_SHORT,
        /** The first byte is not the magic byte 0: not Confluent-framed (plain Avro, JSON, ...). */
        MISSING_MAGIC_BYTE,
        /** The registry does not know the schema id in the header. */
        UNKNOWN_SCHEMA_ID,
        /** The Avro payload ends before the datum does. */
        TRUNCATED_PAYLOAD,
        /** The Avro payload does not decode with the writer schema. */
        MALFORMED_PAYLOAD,
        /** Bytes are left after the datum. */
        TRAILING_BYTES,
        /**
         * The schema id is known, but its record type is not one this reader has a class for
         * (with {@code specific.avro.reader=true}): another service's record on our topic. It will
         * never decode, so it is a dead letter, not something to retry.
         */
        UNKNOWN_RECORD_TYPE
    }

    private final String topic;
    private final int partition;
    private final long offset;
    private final Problem problem;
    private final int schemaId;

    WireFormatException(String topic, int partition, long offset, Problem problem, int schemaId, String detail, Throwable cause) {
        super(describe(topic, partition, offset) + ": " + problem + ": " + detail, cause);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.problem = problem;
        this.schemaId = schemaId;
    }

    public String topic() {
        return topic;
    }

    /** Partition of the record, or -1 when decoded through the plain Kafka {@code Deserializer} API. */
    public int partition() {
        return partition;
    }

    /** Offset of the record, or -1 when decoded through the plain Kafka {@code Deserializer} API. */
    public long offset() {
        return offset;
    }

    public Problem problem() {
        return problem;
    }

    /** Schema id from the header, or -1 when there was no readable header. */
    public int schemaId() {
        return schemaId;
    }

    private static String describe(String topic, int partition, long offset) {
        if (partition < 0) {
            return "topic " + topic + " (partition and offset unknown)";
        }
        return "topic " + topic + " partition " + partition + " offset " + offset;
    }
}
