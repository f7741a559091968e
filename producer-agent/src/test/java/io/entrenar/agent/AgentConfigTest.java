package io.entrenar.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.entrenar.config.ConfigFile.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's settings: file, then environment, then the agent argument; every mistake names where
 * it came from (file and line, variable, or the argument) before the agent starts anything.
 */
class AgentConfigTest {
    @TempDir
    Path dir;

    @Test
    void fileThenEnvironmentThenAgentArgument() throws IOException {
        Path file = write("# agent settings\nagent.experiment = from-file\nagent.run.name: file-run\nflush.interval.ms=40\n"
                + "producer.linger.ms=7\n");
        AgentConfig c = AgentConfig.resolve("config=" + file + ",agent.run.name=arg-run",
                Map.of("ENTRENAR_FLUSH_INTERVAL_MS", "30", "ENTRENAR_PRODUCER_COMPRESSION_TYPE", "zstd"));
        assertEquals("from-file", c.experiment());
        assertEquals("arg-run", c.runName(), "the argument beats the file");
        assertEquals(30L, c.trackerConfig().getLong(io.entrenar.tracking.TrackerConfig.FLUSH_INTERVAL_MS_CONFIG), "the environment beats the file");
        assertEquals("7", c.originals().get("producer.linger.ms"), "producer settings pass through from the file");
        assertEquals("zstd", c.originals().get("producer.compression.type"), "and from the environment");
    }

    @Test
    void theFileIsNamedByTheEnvironmentToo() throws IOException {
        Path file = write("agent.experiment=env-named\n");
        assertEquals("env-named", AgentConfig.resolve("", Map.of("ENTRENAR_AGENT_CONFIG", file.toString())).experiment());
    }

    @Test
    void anUnknownKeyInTheFileIsNamedWithItsLineAndASuggestion() throws IOException {
        Path file = write("agent.experiment=x\n\nring.capacty=1024\n");
        var e = assertThrows(InvalidConfigException.class, () -> AgentConfig.resolve("config=" + file, Map.of()));
        assertEquals(file + ":3: unknown key ring.capacty (did you mean ring.capacity?)", e.getMessage());
    }

    @Test
    void aBadValueIsNamedWithItsLineVariableOrArgument() throws IOException {
        Path file = write("agent.experiment=x\nring.capacity=1000\n");
        var inFile = assertThrows(InvalidConfigException.class, () -> AgentConfig.resolve("config=" + file, Map.of()));
        assertEquals(file + ":2: Invalid value 1000 for configuration ring.capacity: must be a power of two", inFile.getMessage());
        var inEnv = assertThrows(InvalidConfigException.class,
                () -> AgentConfig.resolve("", Map.of("ENTRENAR_SPOOL_FSYNC", "sometimes")));
        assertTrue(inEnv.getMessage().startsWith("environment variable ENTRENAR_SPOOL_FSYNC: "), inEnv.getMessage());
        var inArg = assertThrows(InvalidConfigException.class,
                () -> AgentConfig.resolve("config=" + file + ",ring.capacity=100", Map.of()));
        assertEquals("agent argument: Invalid value 100 for configuration ring.capacity: must be a power of two", inArg.getMessage());
        var crossField = assertThrows(InvalidConfigException.class,
                () -> AgentConfig.resolve("ring.capacity=4096,congestion.max.waiting.points=1000", Map.of()));
        assertTrue(crossField.getMessage().startsWith("agent argument: ") && crossField.getMessage().contains("at least ring.capacity"),
                crossField.getMessage());
    }

    @Test
    void anUnknownKeyInTheArgumentGetsASuggestion() {
        var e = assertThrows(InvalidConfigException.class, () -> AgentConfig.resolve("agent.intervl.ms=500", Map.of()));
        assertEquals("agent argument: Invalid value 500 for configuration agent.intervl.ms: unknown entrenar agent setting "
                + "(did you mean agent.interval.ms?)", e.getMessage());
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, text);
        return file;
    }
}
