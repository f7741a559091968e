package io.entrenar.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class DashboardConfigTest {

    @Test
    void defaults() {
        DashboardConfig c = new DashboardConfig(Map.of());
        assertEquals(8080, c.getInt(DashboardConfig.PORT_CONFIG));
        assertEquals("127.0.0.1", c.getString(DashboardConfig.HOST_CONFIG));
        assertEquals("jdbc:clickhouse:http://127.0.0.1:8123", c.jdbcUrl());
        assertEquals("entrenar", c.database());
    }

    @Test
    void clickHouseUrlForms() {
        assertEquals("jdbc:clickhouse:https://ch.example:8443",
                new DashboardConfig(Map.of(DashboardConfig.CLICKHOUSE_URL_CONFIG, "https://ch.example:8443/")).jdbcUrl());
        assertEquals("jdbc:clickhouse://ch:8123/db",
                new DashboardConfig(Map.of(DashboardConfig.CLICKHOUSE_URL_CONFIG, "jdbc:clickhouse://ch:8123/db")).jdbcUrl());
    }

    @Test
    void badSettingsFailNamingTheKey() {
        ConfigException url = assertThrows(ConfigException.class,
                () -> new DashboardConfig(Map.of(DashboardConfig.CLICKHOUSE_URL_CONFIG, "ch:8123")));
        assertTrue(url.getMessage().contains("clickhouse.url"), url.getMessage());
        ConfigException db = assertThrows(ConfigException.class,
                () -> new DashboardConfig(Map.of(DashboardConfig.CLICKHOUSE_DATABASE_CONFIG, "x; DROP")));
        assertTrue(db.getMessage().contains("clickhouse.database"), db.getMessage());
        ConfigException live = assertThrows(ConfigException.class,
                () -> new DashboardConfig(Map.of(DashboardConfig.BOOTSTRAP_SERVERS_CONFIG, " ")));
        assertTrue(live.getMessage().contains("live.enabled"), live.getMessage());
        new DashboardConfig(Map.of(DashboardConfig.BOOTSTRAP_SERVERS_CONFIG, "", DashboardConfig.LIVE_ENABLED_CONFIG, false,
                DashboardConfig.CONTROL_ENABLED_CONFIG, false));
        ConfigException open = assertThrows(ConfigException.class, () -> new DashboardConfig(Map.of(
                DashboardConfig.HOST_CONFIG, "0.0.0.0", DashboardConfig.CONTROL_ENABLED_CONFIG, true)));
        assertTrue(open.getMessage().contains("could stop runs"), open.getMessage());
        assertTrue(!new DashboardConfig(Map.of(DashboardConfig.HOST_CONFIG, "0.0.0.0")).controlEnabled(),
                "beyond loopback the buttons are off unless asked for (and asking fails)");
        assertTrue(new DashboardConfig(Map.of()).controlEnabled(), "on loopback they are on");
        ConfigException port = assertThrows(ConfigException.class, () -> new DashboardConfig(Map.of(DashboardConfig.PORT_CONFIG, 70000)));
        assertTrue(port.getMessage().contains("port"), port.getMessage());
    }
}
