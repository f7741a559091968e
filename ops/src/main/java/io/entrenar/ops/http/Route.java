package io.entrenar.ops.http;

/** Answers one kind of request; what it throws becomes the service's error reply. */
@FunctionalInterface
public interface Route {
    HttpReply handle(HttpCall call) throws Exception;
}
