package io.entrenar.stack.registry;

import io.entrenar.registry.CompatibilityLevel;

/** One change of the registry as kept in the {@code _schemas} topic. */
sealed interface LogRecord {

    /** A version of a subject; written again with {@code deleted} set by a soft delete. */
    record SchemaVersionRecord(String subject, int version, int id, String schema, boolean deleted) implements LogRecord {
    }

    /** A permanent delete of a version (a tombstone). */
    record SchemaVersionRemoved(String subject, int version) implements LogRecord {
    }

    /** A compatibility level; {@code subject} null for the global one. */
    record ConfigRecord(String subject, CompatibilityLevel level) implements LogRecord {
    }

    /** A deleted compatibility level (a tombstone); {@code subject} null for the global one. */
    record ConfigRemoved(String subject) implements LogRecord {
    }
}
