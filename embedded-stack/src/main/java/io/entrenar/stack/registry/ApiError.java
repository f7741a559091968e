package io.entrenar.stack.registry;

import static io.entrenar.registry.RegistryErrorCodes.*;

import java.util.List;

/**
 * An error answer in Confluent's shape, {@code {"error_code": N, "message": "..."}}; the factory
 * methods use Confluent's codes and wording so that its clients recognise them.
 */
final class ApiError extends RuntimeException {
    private final int httpStatus;
    private final int errorCode;

    ApiError(int httpStatus, int errorCode, String message) {
        this(httpStatus, errorCode, message, null);
    }

    ApiError(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    int httpStatus() {
        return httpStatus;
    }

    int errorCode() {
        return errorCode;
    }

    static ApiError subjectNotFound(String subject) {
        return new ApiError(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    static ApiError versionNotFound(int version) {
        return new ApiError(404, VERSION_NOT_FOUND, "Version " + version + " not found.");
    }

    static ApiError schemaNotFound() {
        return new ApiError(404, SCHEMA_NOT_FOUND, "Schema not found");
    }

    static ApiError schemaNotFound(int id) {
        return new ApiError(404, SCHEMA_NOT_FOUND, "Schema " + id + " not found");
    }

    static ApiError subjectSoftDeleted(String subject) {
        return new ApiError(404, SUBJECT_SOFT_DELETED,
                "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently");
    }

    static ApiError subjectNotSoftDeleted(String subject) {
        return new ApiError(404, SUBJECT_NOT_SOFT_DELETED,
                "Subject '" + subject + "' was not deleted first before being permanently deleted");
    }

    static ApiError versionSoftDeleted(String subject, int version) {
        return new ApiError(404, VERSION_SOFT_DELETED,
                "Subject '" + subject + "' Version " + version + " was soft deleted.Set permanent=true to delete permanently");
    }

    static ApiError versionNotSoftDeleted(String subject, int version) {
        return new ApiError(404, VERSION_NOT_SOFT_DELETED,
                "Subject '" + subject + "' Version " + version + " was not deleted first before being permanently deleted");
    }

    static ApiError subjectCompatibilityNotConfigured(String subject) {
        return new ApiError(404, SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    static ApiError incompatible(String subject, List<String> messages) {
        return new ApiError(409, INCOMPATIBLE_SCHEMA, "Schema being registered is incompatible with an earlier schema for "
                + "subject \"" + subject + "\", details: " + messages);
    }

    static ApiError invalidSchema(String message) {
        return new ApiError(422, INVALID_SCHEMA, message);
    }

    static ApiError invalidVersion(String version) {
        return new ApiError(422, INVALID_VERSION, "The specified version '" + version + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static ApiError invalidCompatibilityLevel() {
        return new ApiError(422, INVALID_COMPATIBILITY_LEVEL, "Invalid compatibility level. Valid values are none, "
                + "backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
    }

    static ApiError invalidSubject(String subject) {
        return new ApiError(422, INVALID_SUBJECT, "The specified subject '" + subject + "' is not a valid.");
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, 400, message);
    }

    static ApiError routeNotFound() {
        return new ApiError(404, 404, "HTTP 404 Not Found");
    }

    static ApiError methodNotAllowed() {
        return new ApiError(405, 405, "HTTP 405 Method Not Allowed");
    }

    static ApiError unauthorized() {
        return new ApiError(401, UNAUTHORIZED, "Unauthorized");
    }

    static ApiError forbidden() {
        return new ApiError(403, FORBIDDEN, "User cannot change the registry: this takes the admin credential "
                + "(authentication.basic.admin.user.info)");
    }

    static ApiError unsupportedMediaType(String contentType) {
        return new ApiError(415, 415, "HTTP 415 Unsupported Media Type: " + (contentType == null ? "no Content-Type"
                : contentType) + "; send application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json "
                + "or application/json");
    }

    static ApiError store(String message, Throwable cause) {
        return new ApiError(500, STORE_ERROR, message + ": " + cause, cause);
    }
}
