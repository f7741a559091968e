package io.entrenar.registry;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Turns a registry's error answer ({@code {"error_code": N, "message": "..."}}) into our exceptions. */
final class RegistryErrors {
    private static final int MAX_BODY_IN_MESSAGE = 500;

    private RegistryErrors() {
    }

    /**
     * @param what   what the caller tried, naming the subject or id
     * @param target method and URL (without credentials)
     */
    static SchemaRegistryException fromResponse(ObjectMapper json, String what, String target, int status, byte[] body) {
        int code = status;
        String serverMessage = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.isObject()) {
                code = node.path("error_code").asInt(status);
                serverMessage = node.path("message").asText(serverMessage);
            }
        } catch (Exception notJson) {
            // a proxy's HTML page or plain text: keep the body as the message
        }
        if (serverMessage.length() > MAX_BODY_IN_MESSAGE) {
            serverMessage = serverMessage.substring(0, MAX_BODY_IN_MESSAGE) + "...";
        }
        String message = what + ": " + target + " answered HTTP " + status + " error_code " + code + ": " + serverMessage;
        if (status == 401 || status == 403) {
            return new UnauthorizedException(message, status, code);
        }
        switch (code) {
            case RegistryErrorCodes.SUBJECT_NOT_FOUND:
                return new SubjectNotFoundException(message, status, code);
            case RegistryErrorCodes.VERSION_NOT_FOUND:
                return new VersionNotFoundException(message, status, code);
            case RegistryErrorCodes.SCHEMA_NOT_FOUND:
                return new SchemaNotFoundException(message, status, code);
            case RegistryErrorCodes.INCOMPATIBLE_SCHEMA:
            case RegistryErrorCodes.INCOMPATIBLE_SCHEMA_V7:
                return new IncompatibleSchemaException(message, status, code);
            case RegistryErrorCodes.INVALID_SCHEMA:
                return new InvalidSchemaException(message, status, code);
            case RegistryErrorCodes.INVALID_VERSION:
                return new InvalidVersionException(message, status, code);
            case RegistryErrorCodes.INVALID_COMPATIBILITY_LEVEL:
                return new InvalidCompatibilityLevelException(message, status, code);
            default:
                break;
        }
        if (status == 409) {
            return new IncompatibleSchemaException(message, status, code);
        }
        if (status >= 500) {
            return new RegistryUnavailableException(message, status, code);
        }
        return new SchemaRegistryException(message, status, code);
    }
}
