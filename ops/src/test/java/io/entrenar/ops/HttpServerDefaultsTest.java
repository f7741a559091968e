package io.entrenar.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpServerDefaultsTest {
    private static final String PROPERTY = "sun.net.httpserver.maxReqTime";
    private final String before = System.getProperty(PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, before);
        }
    }

    @Test
    void aRequestMustArriveWithinThirtySecondsUnlessToldOtherwise() {
        System.clearProperty(PROPERTY);
        HttpServerDefaults.apply(Map.of());
        assertEquals("30", System.getProperty(PROPERTY));
        System.clearProperty(PROPERTY);
        HttpServerDefaults.apply(Map.of(HttpServerDefaults.REQUEST_READ_TIMEOUT_ENV, "5"));
        assertEquals("5", System.getProperty(PROPERTY));
        HttpServerDefaults.apply(Map.of(HttpServerDefaults.REQUEST_READ_TIMEOUT_ENV, "9"));
        assertEquals("5", System.getProperty(PROPERTY), "an explicit -D of the JDK's property wins");
    }

    @Test
    void anInvalidTimeoutNamesTheVariable() {
        System.clearProperty(PROPERTY);
        var e = assertThrows(IllegalArgumentException.class,
                () -> HttpServerDefaults.apply(Map.of(HttpServerDefaults.REQUEST_READ_TIMEOUT_ENV, "soon")));
        assertEquals("ENTRENAR_HTTP_REQUEST_READ_TIMEOUT_S=soon is not a number of seconds (at least 1)", e.getMessage());
    }
}
