package io.entrenar.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoopbackTest {
    @Test
    void loopbackNamesWithOrWithoutPorts() {
        for (String h : new String[] {"localhost", "LOCALHOST:9092", "127.0.0.1", "127.1.2.3:8123", "::1", "[::1]", "[::1]:9092"}) {
            assertTrue(Loopback.host(h), h);
        }
        for (String h : new String[] {"0.0.0.0", "10.0.0.5:9092", "kafka.example:9092", "::", "[2001:db8::1]:9092", "localhost.evil.example"}) {
            assertFalse(Loopback.host(h), h);
        }
    }
}
