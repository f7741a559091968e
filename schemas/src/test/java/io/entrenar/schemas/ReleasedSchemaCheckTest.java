package io.entrenar.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleasedSchemaCheckTest {
    private static final Path SOURCES = Path.of("src/main/avro");

    @TempDir
    Path tmp;
    Path current;
    Path released;

    @BeforeEach
    void copyTheContract() throws IOException {
        current = Files.createDirectories(tmp.resolve("current"));
        released = Files.createDirectories(tmp.resolve("released/v1"));
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.toList()) {
                Files.copy(f, current.resolve(f.getFileName()));
                Files.copy(f, released.resolve(f.getFileName()));
            }
        }
    }

    @Test
    void theCommittedContractPassesAgainstTheCommittedRelease() throws IOException {
        assertEquals(List.of(), ReleasedSchemaCheck.check(SOURCES, Path.of("released")));
    }

    @Test
    void aNewFieldWithADefaultIsCompatible() throws IOException {
        edit("ControlCommand.avsc", "{\"name\": \"reason\"", "{\"name\": \"priority\", \"type\": \"int\", \"default\": 0},\n    {\"name\": \"reason\"");
        assertEquals(List.of(), ReleasedSchemaCheck.check(current, tmp.resolve("released")));
    }

    @Test
    void aNewFieldWithoutADefaultIsRefusedWithItsName() throws IOException {
        edit("ControlCommand.avsc", "{\"name\": \"reason\"", "{\"name\": \"priority\", \"type\": \"int\"},\n    {\"name\": \"reason\"");
        List<String> problems = ReleasedSchemaCheck.check(current, tmp.resolve("released"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("io.entrenar.events.ControlCommand"), problems.get(0));
        assertTrue(problems.get(0).contains("priority"), problems.get(0));
    }

    @Test
    void aChangedTypeIsRefused() throws IOException {
        edit("MetricBatch.avsc", "{\"name\": \"sequence\", \"type\": \"long\"", "{\"name\": \"sequence\", \"type\": \"string\"");
        List<String> problems = ReleasedSchemaCheck.check(current, tmp.resolve("released"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("MetricBatch") && p.contains("sequence")), problems.toString());
    }

    @Test
    void aRemovedSchemaIsRefused() throws IOException {
        Files.delete(current.resolve("Span.avsc"));
        List<String> problems = ReleasedSchemaCheck.check(current, tmp.resolve("released"));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("io.entrenar.events.Span was released in v1 but is gone"), problems.get(0));
    }

    @Test
    void theNewestReleaseIsTheBaseline() throws IOException {
        Path v2 = Files.createDirectories(tmp.resolve("released/v2"));
        edit("ControlCommand.avsc", "{\"name\": \"reason\"", "{\"name\": \"priority\", \"type\": \"int\", \"default\": 0},\n    {\"name\": \"reason\"");
        Files.copy(current.resolve("ControlCommand.avsc"), v2.resolve("ControlCommand.avsc"));
        // v1 never had the field, but v2 did: turning it into a string breaks reading v2 data.
        edit("ControlCommand.avsc", "\"type\": \"int\", \"default\": 0", "\"type\": \"string\", \"default\": \"0\"");
        List<String> problems = ReleasedSchemaCheck.check(current, tmp.resolve("released"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("v2") && p.contains("priority")), problems.toString());
    }

    @Test
    void invalidJsonNamesTheFile() throws IOException {
        Files.writeString(current.resolve("Broken.avsc"), "{\"type\": \"record\", \"name\": ");
        try {
            ReleasedSchemaCheck.check(current, tmp.resolve("released"));
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("Broken.avsc"), e.getMessage());
            return;
        }
        throw new AssertionError("a broken schema file must fail the check");
    }

    private void edit(String file, String from, String to) throws IOException {
        Path f = current.resolve(file);
        String text = Files.readString(f);
        assertTrue(text.contains(from), "fixture text not found in " + file);
        Files.writeString(f, text.replace(from, to));
    }
}
