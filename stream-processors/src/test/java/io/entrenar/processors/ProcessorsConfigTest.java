package io.entrenar.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorsConfigTest {
    private static Map<String, Object> minimal() {
        Map<String, Object> m = new HashMap<>();
        m.put(ProcessorsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        m.put(ProcessorsConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://localhost:8081");
        return m;
    }

    @Test
    void theQueryEndpointAdvertisesAnAddressOtherInstancesCanReach() throws Exception {
        assertEquals("10.1.2.3", QueryServer.advertised("0.0.0.0", "10.1.2.3"));
        assertEquals("127.0.0.1", QueryServer.advertised("127.0.0.1", ""));
        String own = java.net.InetAddress.getLocalHost().getHostAddress();
        assertEquals(own, QueryServer.advertised("0.0.0.0", ""), "a wildcard bind advertises this machine's address");
        QueryServer server = QueryServer.bind("0.0.0.0", 0, "");
        try {
            assertTrue(server.url().startsWith("http://" + own + ":"), server.url());
            // Reachable at what it advertises: the socket listens on every address, this one included.
            java.net.URI url = java.net.URI.create(server.url());
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(url.getHost(), url.getPort()), 2000);
                assertTrue(socket.isConnected());
            }
        } finally {
            server.close();
        }
    }

    @Test
    void defaultsAreExactlyOnceWithBuiltInRules() {
        ProcessorsConfig config = new ProcessorsConfig(minimal());
        assertEquals(6, config.settings().andon().rules().size());
        Properties p = ProcessorsApp.streamsProperties(config, new DeadLetters.Counts(), new RefusedOutputs(), "127.0.0.1:8086");
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("entrenar-processors", p.get(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals("127.0.0.1:8086", p.get(StreamsConfig.APPLICATION_SERVER_CONFIG));
        assertEquals(DeadLetters.Production.class, p.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG));
        assertEquals(java.time.Duration.ofMinutes(55), config.settings().maxEventTimeAhead(), "below the brokers' default 1 h");
    }

    @Test
    void theEventTimeLimitIsValidated() {
        Map<String, Object> m = minimal();
        m.put(ProcessorsConfig.EVENT_TIME_MAX_AHEAD_MS_CONFIG, "600000");
        assertEquals(java.time.Duration.ofMinutes(10), new ProcessorsConfig(m).settings().maxEventTimeAhead());
        m.put(ProcessorsConfig.EVENT_TIME_MAX_AHEAD_MS_CONFIG, "-1");
        ConfigException e = assertThrows(ConfigException.class, () -> new ProcessorsConfig(m));
        assertTrue(e.getMessage().contains("event.time.max.ahead.ms"), e.getMessage());
    }

    @Test
    void streamsPrefixPassesSettingsThrough() {
        Map<String, Object> m = minimal();
        m.put("streams.replication.factor", "3");
        Properties p = ProcessorsApp.streamsProperties(new ProcessorsConfig(m), new DeadLetters.Counts(), new RefusedOutputs(), null);
        assertEquals("3", p.get("replication.factor"));
    }

    @Test
    void requiredAndCrossFieldRulesFailAtConstruction() {
        assertThrows(ConfigException.class, () -> new ProcessorsConfig(Map.of(ProcessorsConfig.BOOTSTRAP_SERVERS_CONFIG, "x:1")));
        Map<String, Object> m = minimal();
        m.put(ProcessorsConfig.STATS_HOPPING_WINDOW_MS_CONFIG, 25_000L);
        m.put(ProcessorsConfig.STATS_HOPPING_ADVANCE_MS_CONFIG, 10_000L);
        ConfigException e = assertThrows(ConfigException.class, () -> new ProcessorsConfig(m));
        assertTrue(e.getMessage().contains("configuration stats.hopping.window.ms") && e.getMessage().contains("multiple"), e.getMessage());
        Map<String, Object> alpha = minimal();
        alpha.put(ProcessorsConfig.STATS_EWMA_ALPHA_CONFIG, 1.5);
        assertTrue(assertThrows(ConfigException.class, () -> new ProcessorsConfig(alpha)).getMessage().contains("stats.ewma.alpha"));
    }

    @Test
    void aBadRulesFileFailsWithItsLine(@TempDir Path dir) throws IOException {
        Path rules = dir.resolve("andon.yaml");
        Files.writeString(rules, "rules:\n  - name: s\n    type: stall\n    max_seconds: 0\n");
        Map<String, Object> m = minimal();
        m.put(ProcessorsConfig.ANDON_RULES_FILE_CONFIG, rules.toString());
        ConfigException e = assertThrows(ConfigException.class, () -> new ProcessorsConfig(m));
        assertTrue(e.getMessage().contains(rules + ":4: max_seconds must be a positive number"), e.getMessage());
        m.put(ProcessorsConfig.ANDON_RULES_FILE_CONFIG, dir.resolve("missing.yaml").toString());
        assertTrue(assertThrows(ConfigException.class, () -> new ProcessorsConfig(m)).getMessage().contains("does not exist"));
    }
}
