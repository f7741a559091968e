package io.entrenar.alerting;

/** A configuration mistake, phrased for the user with file and line; nothing has started. */
public final class InvalidConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(message);
    }
}
