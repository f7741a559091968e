package io.entrenar.registry;

/** The registry could not parse the schema, or does not support its type: error code 42201. */
public class InvalidSchemaException extends SchemaRegistryException {
    public InvalidSchemaException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
