package io.entrenar.mlflow;

/**
 * An error as MLflow's clients expect it: {@code {"error_code": ..., "message": ...}} with the HTTP
 * status MLflow's server gives that code. Validation errors are never 5xx: MLflow clients retry
 * 408, 429 and 5xx, and would retry a bad request until they give up.
 */
final class MlflowException extends RuntimeException {
    private final String errorCode;
    private final int status;

    private MlflowException(String errorCode, int status, String message) {
        super(message);
        this.errorCode = errorCode;
        this.status = status;
    }

    static MlflowException invalid(String message) {
        return new MlflowException("INVALID_PARAMETER_VALUE", 400, message);
    }

    static MlflowException notFound(String message) {
        return new MlflowException("RESOURCE_DOES_NOT_EXIST", 404, message);
    }

    static MlflowException exists(String message) {
        return new MlflowException("RESOURCE_ALREADY_EXISTS", 400, message);
    }

    static MlflowException badRequest(String message) {
        return new MlflowException("BAD_REQUEST", 400, message);
    }

    static MlflowException invalidState(String message) {
        return new MlflowException("INVALID_STATE", 400, message);
    }

    static MlflowException unavailable(String message) {
        return new MlflowException("TEMPORARILY_UNAVAILABLE", 503, message);
    }

    String errorCode() {
        return errorCode;
    }

    int status() {
        return status;
    }
}
