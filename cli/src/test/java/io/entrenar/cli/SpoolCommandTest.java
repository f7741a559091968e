package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SpoolCommandTest {
    @TempDir
    Path dir;

    @Test
    void badTrackerConfigFailsWithTheLineBeforeAnythingStarts() throws IOException {
        Path file = dir.resolve("tracker.properties");
        Files.writeString(file, "bootstrap.servers=localhost:1\nspool.fsync=sometimes\n");
        StringWriter err = new StringWriter();
        CommandLine cli = Entrenar.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("spool", "replay", dir.toString(), "--config", file.toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains(file + ":2: ") && err.toString().contains("spool.fsync"), err.toString());
    }

    @Test
    void unknownKeySuggestsTheRightOne() throws IOException {
        Path file = dir.resolve("tracker.properties");
        Files.writeString(file, "spool.fsynk=always\n");
        StringWriter err = new StringWriter();
        CommandLine cli = Entrenar.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("spool", "replay", dir.toString(), "--config", file.toString()));
        assertTrue(err.toString().contains(":1: unknown key spool.fsynk") && err.toString().contains("spool.fsync"), err.toString());
    }

    @Test
    void missingDirectoryIsAClearError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Entrenar.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("spool", "replay", dir.resolve("nope").toString()));
        assertTrue(err.toString().contains("no such spool directory"), err.toString());
    }

    @Test
    void attachWithAMissingAgentJarSaysWhereItLooked() {
        StringWriter err = new StringWriter();
        CommandLine cli = Entrenar.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("attach", "1", "--agent-jar", dir.resolve("none.jar").toString()));
        assertTrue(err.toString().contains("agent jar not found") && err.toString().contains("none.jar"), err.toString());
    }
}
