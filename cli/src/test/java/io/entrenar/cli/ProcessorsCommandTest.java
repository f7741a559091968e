package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.entrenar.config.ConfigFile;
import io.entrenar.processors.ProcessorsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProcessorsCommandTest {
    @TempDir
    Path dir;

    private ProcessorsCommand parse(String... args) {
        ProcessorsCommand command = new ProcessorsCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void fileEnvironmentAndOptionsWithRulesRelativeToTheFile() throws IOException {
        Files.writeString(dir.resolve("andon.yaml"), "rules:\n  - {name: nan, type: non_finite}\n");
        Path file = Files.writeString(dir.resolve("processors.properties"),
                "bootstrap.servers=kafka:9092\nschema.registry.url=http://registry:8081\nandon.rules.file=andon.yaml\n"
                        + "streams.replication.factor=3\n");
        ProcessorsConfig config = parse("--config", file.toString(), "--http-port", "0")
                .config(Map.of("ENTRENAR_APPLICATION_ID", "team-a"));
        assertEquals("team-a", config.getString(ProcessorsConfig.APPLICATION_ID_CONFIG));
        assertEquals(0, config.getInt(ProcessorsConfig.HTTP_PORT_CONFIG));
        assertEquals(dir.resolve("andon.yaml").toString(), config.getString(ProcessorsConfig.ANDON_RULES_FILE_CONFIG));
    }

    @Test
    void aBadRulesFileIsReportedAtBothLines() throws IOException {
        Files.writeString(dir.resolve("andon.yaml"), "rules:\n  - name: s\n    type: stall\n    max_seconds: -1\n");
        Path file = Files.writeString(dir.resolve("processors.properties"),
                "bootstrap.servers=kafka:9092\nschema.registry.url=http://registry:8081\n\nandon.rules.file=andon.yaml\n");
        var e = assertThrows(ConfigFile.InvalidConfigException.class, () -> parse("--config", file.toString()).config(Map.of()));
        assertTrue(e.getMessage().startsWith(file + ":4: "), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("andon.yaml") + ":4: max_seconds must be a positive number"), e.getMessage());
    }

    @Test
    void unknownKeysGetASuggestion() throws IOException {
        Path file = Files.writeString(dir.resolve("p.properties"), "bootstrap.servers=k:1\nstats.ewma.alfa=0.3\n");
        var e = assertThrows(ConfigFile.InvalidConfigException.class, () -> parse("--config", file.toString()).config(Map.of()));
        assertEquals(file + ":2: unknown key stats.ewma.alfa (did you mean stats.ewma.alpha?)", e.getMessage());
    }

    @Test
    void checkValidatesAndExitsWithoutStarting() {
        StringWriter out = new StringWriter();
        CommandLine cli = Entrenar.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("processors", "--check", "--bootstrap-servers", "k:1", "--registry-url", "http://r:1");
        assertEquals(0, code);
        assertTrue(out.toString().contains("Configuration OK."), out.toString());
        assertTrue(out.toString().contains("stats.ewma.alpha"), out.toString());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("processors", "--check", "--bootstrap-servers", "k:1"));
        assertTrue(err.toString().contains("schema.registry.url"), err.toString());
    }
}
