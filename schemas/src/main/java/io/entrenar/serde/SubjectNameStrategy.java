package io.entrenar.serde;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/** How a subject is named, as Confluent's strategies of the same names. */
public enum SubjectNameStrategy {
    /** {@code <topic>-key} / {@code <topic>-value}: one schema per topic (our default). */
    TOPIC_NAME,
    /** The record's full name: one schema per record type, across topics. */
    RECORD_NAME,
    /** {@code <topic>-<record full name>}. */
    TOPIC_RECORD_NAME;

    public String subject(String topic, boolean isKey, Schema schema) {
        return switch (this) {
            case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
            case RECORD_NAME -> schema.getFullName();
            case TOPIC_RECORD_NAME -> topic + "-" + schema.getFullName();
        };
    }

    /** Accepts our names, Confluent's simple class names and their fully qualified class names. */
    static SubjectNameStrategy parse(String key, String value) {
        String simple = value.substring(value.lastIndexOf('.') + 1);
        return switch (simple) {
            case "TopicNameStrategy", "TOPIC_NAME" -> TOPIC_NAME;
            case "RecordNameStrategy", "RECORD_NAME" -> RECORD_NAME;
            case "TopicRecordNameStrategy", "TOPIC_RECORD_NAME" -> TOPIC_RECORD_NAME;
            default -> throw new ConfigException(key, value,
                    "unknown subject name strategy; use TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
        };
    }
}
