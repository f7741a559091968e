package io.entrenar.registry;

/** The registry refused the credentials (HTTP 401) or the operation (HTTP 403). */
public class UnauthorizedException extends SchemaRegistryException {
    public UnauthorizedException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
