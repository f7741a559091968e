package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.entrenar.config.ConfigFile;
import io.entrenar.sink.SinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkCommandTest {

    @Test
    void readsTheConfigFileWithEnvironmentAndOptionsOnTop(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sink.properties");
        Files.writeString(file, "bootstrap.servers=k:9092\nschema.registry.url=http://r:8081\nbatch.max.rows=5000\n"
                + "consumer.max.poll.records=100\n");
        SinkCommand cmd = new SinkCommand();
        cmd.configFile = file;
        cmd.database = "analytics";
        SinkConfig config = cmd.config(Map.of("ENTRENAR_BATCH_MAX_MS", "50"));
        assertEquals("k:9092", config.getString(SinkConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals(5000, config.getInt(SinkConfig.BATCH_MAX_ROWS_CONFIG));
        assertEquals(50L, config.getLong(SinkConfig.BATCH_MAX_MS_CONFIG));
        assertEquals("analytics", config.database());
    }

    @Test
    void badSettingsFailWithTheirLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sink.properties");
        Files.writeString(file, "bootstrap.servers=k:9092\nschema.registry.url=http://r:8081\nengine=jdbc\n");
        SinkCommand cmd = new SinkCommand();
        cmd.configFile = file;
        ConfigFile.InvalidConfigException e = assertThrows(ConfigFile.InvalidConfigException.class, () -> cmd.config(Map.of()));
        assertEquals(file + ": Invalid value  for configuration jdbc.url: is required when engine=jdbc", e.getMessage());

        Files.writeString(file, "bootstrap.servers=k:9092\nbatch.max.row=5\n");
        e = assertThrows(ConfigFile.InvalidConfigException.class, () -> cmd.config(Map.of()));
        assertEquals(file + ":2: unknown key batch.max.row (did you mean batch.max.rows?)", e.getMessage());

        Files.writeString(file, "bootstrap.servers=k:9092\nschema.registry.url=http://r:8081\nbatch.max.ms=soon\n");
        e = assertThrows(ConfigFile.InvalidConfigException.class, () -> cmd.config(Map.of()));
        assertEquals(file + ":3: Invalid value soon for configuration batch.max.ms: Not a number of type LONG", e.getMessage());
    }
}
