package io.entrenar.registry;

/** The schema breaks the subject's compatibility level: HTTP 409 (error code 409, or 40901 on newer registries). */
public class IncompatibleSchemaException extends SchemaRegistryException {
    public IncompatibleSchemaException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
