package io.entrenar.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrenar.schemas.Topic;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SinkConfigTest {

    private static Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>();
        m.put(SinkConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092");
        m.put(SinkConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://r:8081");
        return m;
    }

    @Test
    void defaults() {
        SinkConfig c = new SinkConfig(base());
        assertEquals("chdb", c.engine());
        assertEquals("entrenar", c.database());
        assertEquals(11, c.getList(SinkConfig.TOPICS_CONFIG).size());
        assertTrue(!c.getList(SinkConfig.TOPICS_CONFIG).contains(Topic.DLQ.topicName()));
        assertTrue(!c.getList(SinkConfig.TOPICS_CONFIG).contains(Topic.CONTROL.topicName()));
        assertEquals(250L, c.getLong(SinkConfig.BATCH_MAX_MS_CONFIG));
        assertTrue(c.chdbPath().isAbsolute());
    }

    @Test
    void crossFieldRules() {
        Map<String, Object> jdbc = base();
        jdbc.put(SinkConfig.ENGINE_CONFIG, "jdbc");
        assertThrows(ConfigException.class, () -> new SinkConfig(jdbc));
        jdbc.put(SinkConfig.JDBC_URL_CONFIG, "http://server:8123");
        assertThrows(ConfigException.class, () -> new SinkConfig(jdbc));
        jdbc.put(SinkConfig.JDBC_URL_CONFIG, "jdbc:clickhouse://server:8123");
        assertEquals("jdbc", new SinkConfig(jdbc).engine());

        Map<String, Object> dlq = base();
        dlq.put(SinkConfig.TOPICS_CONFIG, "entrenar.metrics.v1,entrenar.dlq.v1");
        assertThrows(ConfigException.class, () -> new SinkConfig(dlq));

        Map<String, Object> db = base();
        db.put(SinkConfig.DATABASE_CONFIG, "x; DROP");
        assertThrows(ConfigException.class, () -> new SinkConfig(db));

        Map<String, Object> pw = base();
        pw.put("http.password", "secret");
        assertThrows(ConfigException.class, () -> new SinkConfig(pw));
    }
}
