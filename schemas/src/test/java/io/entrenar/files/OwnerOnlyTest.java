package io.entrenar.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {
    @TempDir
    Path dir;

    @Test
    void secretsAreOwnerOnlyAndReplacedWhole() throws Exception {
        Path secret = OwnerOnly.write(dir.resolve("keys/secret"), "first");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        assertEquals("first", Files.readString(secret));
        OwnerOnly.write(secret, "second");
        assertEquals("second", Files.readString(secret));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        try (var files = Files.list(secret.getParent())) {
            assertEquals(List.of(secret), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void dataDirectoriesAreOwnerOnly() throws Exception {
        Path open = Files.createDirectories(dir.resolve("data"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        OwnerOnly.directory(open);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(open)));
        Path created = OwnerOnly.directory(dir.resolve("a/b"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));
    }
}
