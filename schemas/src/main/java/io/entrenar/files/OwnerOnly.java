package io.entrenar.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only their owner may read: secrets (HMAC keys, routing files with webhook
 * secrets) and the data directories that hold telemetry. A secret file is written to a temporary
 * file that is owner-only from its creation, then renamed over the target: at no moment does the
 * secret sit in a file that the umask made readable by others (a chmod after writing leaves that
 * window open).
 */
public final class OwnerOnly {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnly() {
    }

    /**
     * Creates {@code dir} (and missing parents) and makes it owner-only (0700). A directory that
     * belongs to another user (a shared mount the user may write to) is left as its owner set it.
     */
    public static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (POSIX && Files.getOwner(dir).getName().equals(System.getProperty("user.name"))) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
        return dir;
    }

    /** Replaces {@code file} with {@code content}, owner-only (0600) from the first byte, atomically. */
    public static Path write(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        FileAttribute<?>[] attributes = POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attributes);
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }
}
