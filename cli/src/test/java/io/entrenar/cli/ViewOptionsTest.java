package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ViewOptionsTest {

    @Test
    void clickHouseUrlsBecomeJdbcUrls() {
        assertEquals("jdbc:clickhouse://127.0.0.1:8123", ViewOptions.jdbcUrl("http://127.0.0.1:8123"));
        assertEquals("jdbc:clickhouse://ch:8443/db?ssl=true", ViewOptions.jdbcUrl("https://ch:8443/db"));
        assertEquals("jdbc:clickhouse://ch:8123/x", ViewOptions.jdbcUrl("jdbc:clickhouse://ch:8123/x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ViewOptions.jdbcUrl("ch:8123"));
        assertTrue(e.getMessage().contains("--clickhouse-url must start with http://"), e.getMessage());
    }

    @Test
    void refreshIntervalsParse() {
        assertEquals(Duration.ofMillis(500), RunsWatchCommand.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(2), RunsWatchCommand.parseDuration("2s"));
        assertEquals(Duration.ofMinutes(1), RunsWatchCommand.parseDuration("1m"));
        assertEquals(Duration.ofMillis(250), RunsWatchCommand.parseDuration("250"));
        assertThrows(IllegalArgumentException.class, () -> RunsWatchCommand.parseDuration("fast"));
        assertThrows(IllegalArgumentException.class, () -> RunsWatchCommand.parseDuration("10ms"));
    }
}
