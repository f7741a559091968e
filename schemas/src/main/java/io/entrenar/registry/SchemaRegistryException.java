package io.entrenar.registry;

/**
 * A failed schema registry call. Carries the HTTP status and Confluent's {@code error_code} so
 * callers can react to a specific condition without parsing messages.
 */
public class SchemaRegistryException extends RuntimeException {
    /** {@link #httpStatus()} and {@link #errorCode()} when no HTTP response was received. */
    public static final int NO_RESPONSE = -1;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        this(message, httpStatus, errorCode, null);
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status of the registry's answer, or {@link #NO_RESPONSE}. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent's {@code error_code} (see {@link RegistryErrorCodes}), or {@link #NO_RESPONSE}. */
    public int errorCode() {
        return errorCode;
    }
}
