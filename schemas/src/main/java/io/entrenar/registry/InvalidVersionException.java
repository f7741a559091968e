package io.entrenar.registry;

/** The version is neither a number in [1, 2^31-1] nor "latest": error code 42202. */
public class InvalidVersionException extends SchemaRegistryException {
    public InvalidVersionException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
