package io.entrenar.registry;

/**
 * No registry answered (connection refused, timeout, reset) or the one that answered failed on
 * its side (HTTP 5xx): the call may succeed when retried later.
 */
public class RegistryUnavailableException extends SchemaRegistryException {
    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, NO_RESPONSE, NO_RESPONSE, cause);
    }

    public RegistryUnavailableException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
