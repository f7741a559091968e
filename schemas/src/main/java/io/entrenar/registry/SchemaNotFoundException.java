package io.entrenar.registry;

/** No schema with this id, or the schema is not registered under the subject: error code 40403. */
public class SchemaNotFoundException extends SchemaRegistryException {
    public SchemaNotFoundException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
