package io.entrenar.ops.http;

/** A refusal with an HTTP status, answered as plain text unless the service maps it itself. */
public final class HttpException extends RuntimeException {
    private final int status;

    public HttpException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
