package io.entrenar.registry;

/** The subject has no such version: error code 40402. */
public class VersionNotFoundException extends SchemaRegistryException {
    public VersionNotFoundException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
