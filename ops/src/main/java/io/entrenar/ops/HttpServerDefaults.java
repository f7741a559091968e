package io.entrenar.ops;

import java.util.Map;

/**
 * The JDK HTTP server's JVM-wide settings, which it reads once, when the first server starts: each
 * app's {@code main} applies them before anything listens.
 */
public final class HttpServerDefaults {

    /** Seconds a client has to send a whole request (headers and body); 30 by default. */
    public static final String REQUEST_READ_TIMEOUT_ENV = "ENTRENAR_HTTP_REQUEST_READ_TIMEOUT_S";
    static final String REQUEST_READ_TIMEOUT_DEFAULT = "30";
    private static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";

    private HttpServerDefaults() {
    }

    /**
     * Bounds how long a request may take to arrive, so a client that sends its headers a byte at a
     * time cannot hold a worker for ever (the JDK's default is no limit). A {@code -D} of the JDK's
     * own property wins; an invalid value fails naming the variable.
     */
    public static void apply(Map<String, String> env) {
        if (System.getProperty(MAX_REQ_TIME) != null) {
            return;
        }
        String value = env.getOrDefault(REQUEST_READ_TIMEOUT_ENV, REQUEST_READ_TIMEOUT_DEFAULT).strip();
        long seconds;
        try {
            seconds = Long.parseLong(value);
        } catch (NumberFormatException e) {
            seconds = 0;
        }
        if (seconds < 1) {
            throw new IllegalArgumentException(REQUEST_READ_TIMEOUT_ENV + "=" + value + " is not a number of seconds (at least 1)");
        }
        System.setProperty(MAX_REQ_TIME, Long.toString(seconds));
    }
}
