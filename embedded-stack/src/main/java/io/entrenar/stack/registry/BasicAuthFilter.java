package io.entrenar.stack.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

/**
 * HTTP basic auth with two credentials: a reader's and an admin's. Reading (and looking a schema
 * up, and testing compatibility) takes either; changing the registry (registering, deleting,
 * setting compatibility) takes the admin's when one is configured, else the reader's. Answers 401
 * (error 40101) and 403 (error 40301) in Confluent's error shape rather than the JDK
 * authenticator's empty body, so clients can say why.
 */
final class BasicAuthFilter extends Filter {
    private final byte[] reader;
    private final byte[] admin;

    /** @param readerInfo {@code user:password} or null; @param adminInfo {@code user:password} or null */
    BasicAuthFilter(String readerInfo, String adminInfo) {
        this.reader = readerInfo == null ? null : readerInfo.getBytes(StandardCharsets.UTF_8);
        this.admin = adminInfo == null ? null : adminInfo.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        byte[] given = credentials(exchange.getRequestHeaders().getFirst("Authorization"));
        boolean isAdmin = admin != null && given != null && MessageDigest.isEqual(given, admin);
        boolean isReader = reader != null && given != null && MessageDigest.isEqual(given, reader);
        if (!isAdmin && !isReader) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"SchemaRegistry\"");
            try (exchange) {
                Reply.error(ApiError.unauthorized()).send(exchange);
            }
            return;
        }
        if (!isAdmin && admin != null && changesTheRegistry(exchange.getRequestMethod(), exchange.getRequestURI().getPath())) {
            try (exchange) {
                Reply.error(ApiError.forbidden()).send(exchange);
            }
            return;
        }
        chain.doFilter(exchange);
    }

    /**
     * Registering ({@code POST /subjects/S/versions}), deleting, and setting compatibility
     * ({@code PUT /config}). {@code POST /subjects/S} (look a schema up) and
     * {@code POST /compatibility/...} (test one) only read.
     */
    static boolean changesTheRegistry(String method, String path) {
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        return switch (method) {
            case "DELETE", "PUT" -> true;
            case "POST" -> segments.size() == 3 && segments.get(0).equals("subjects") && segments.get(2).equals("versions");
            default -> false;
        };
    }

    /** The decoded {@code user:password} of a basic {@code Authorization} header, or null. */
    private static byte[] credentials(String header) {
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith("basic ")) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String description() {
        return "HTTP basic authentication";
    }
}
