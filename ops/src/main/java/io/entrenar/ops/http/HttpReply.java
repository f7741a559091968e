package io.entrenar.ops.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link Route} answers: a status with a body in memory, or a file streamed from disk
 * (downloads never pass through the heap whole).
 */
public record HttpReply(int status, String contentType, byte[] body, Path file, Map<String, String> headers) {

    public static final String JSON = "application/json";

    public HttpReply {
        headers = Map.copyOf(headers);
    }

    public static HttpReply json(int status, byte[] body) {
        return new HttpReply(status, JSON, body, null, Map.of());
    }

    public static HttpReply text(int status, String body) {
        return new HttpReply(status, "text/plain; charset=UTF-8", body.getBytes(StandardCharsets.UTF_8), null, Map.of());
    }

    public static HttpReply file(Path file, String contentType) {
        return new HttpReply(200, contentType, null, file, Map.of());
    }
}
