package io.entrenar.stack.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

/**
 * HTTP basic auth against one configured {@code user:password}. Answers 401 in Confluent's error
 * shape (error code 40101) rather than the JDK authenticator's empty body, so clients can say why.
 */
final class BasicAuthFilter extends Filter {
    private final byte[] expected;

    BasicAuthFilter(String userInfo) {
        this.expected = userInfo.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
            chain.doFilter(exchange);
            return;
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"SchemaRegistry\"");
        try (exchange) {
            Reply.error(ApiError.unauthorized()).send(exchange);
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith("basic ")) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, expected); // constant time: no password guessing by timing
    }

    @Override
    public String description() {
        return "HTTP basic authentication";
    }
}
