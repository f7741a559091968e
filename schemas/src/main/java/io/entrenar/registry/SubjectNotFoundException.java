package io.entrenar.registry;

/** The subject has no (live) versions: error code 40401. */
public class SubjectNotFoundException extends SchemaRegistryException {
    public SubjectNotFoundException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
