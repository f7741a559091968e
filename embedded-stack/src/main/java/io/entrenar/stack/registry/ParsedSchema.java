package io.entrenar.stack.registry;

import org.apache.avro.Schema;

/**
 * An Avro schema and its canonical text. The canonical text is Avro's normalized JSON
 * ({@link Schema#toString()}, as Confluent stores it): whitespace and attribute order do not
 * matter, but defaults, docs and aliases do, so that adding a default counts as a change.
 */
record ParsedSchema(Schema schema, String canonical) {

    /** @throws ApiError 42201 when the text is not JSON or not a valid Avro schema */
    static ParsedSchema parse(String text) {
        try {
            Schema schema = new Schema.Parser().parse(text);
            return new ParsedSchema(schema, schema.toString());
        } catch (RuntimeException e) {
            // Avro reports some invalid schemas (an unknown type name in 1.12) with a NullPointerException.
            throw ApiError.invalidSchema("Invalid schema " + text + ", details: " + e);
        }
    }
}
