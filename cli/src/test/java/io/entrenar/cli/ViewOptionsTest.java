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
    void anUnreachableEndpointIsNamedInTheError() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = Entrenar.commandLine();
        cli.setErr(new java.io.PrintWriter(err));
        assertEquals(1, cli.execute("failures", "--clickhouse-url", "http://127.0.0.1:" + port));
        assertTrue(err.toString().startsWith("entrenar failures: cannot query ClickHouse at http://127.0.0.1:" + port
                + " (set --clickhouse-url or ENTRENAR_CLICKHOUSE_URL; is the stack running?)"), err.toString());
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
