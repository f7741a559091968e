package io.entrenar.stack.registry;

/** One version of a subject as the registry holds it; a soft-deleted one keeps its id resolvable. */
record SchemaVersion(String subject, int version, int id, ParsedSchema schema, boolean deleted) {
}
