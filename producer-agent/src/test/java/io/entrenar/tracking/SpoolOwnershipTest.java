package io.entrenar.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which spools a scan may take over. A spool of a live process on this host is never probed: a
 * probe opens and closes its lock file, and POSIX then drops the owner's lock when the prober is
 * the same process (the agent's tracker next to the application's).
 */
class SpoolOwnershipTest {

    @Test
    void aScanSkipsSpoolsOfLiveProcessesAndTakesThoseOfDeadOnes(@TempDir Path root) throws Exception {
        try (Spool mine = Spool.create(root.resolve("mine"), FsyncPolicy.NEVER, 1 << 20, 1 << 24);
             Spool other = Spool.create(root.resolve("other-tracker-same-jvm"), FsyncPolicy.NEVER, 1 << 20, 1 << 24)) {
            Process finished = new ProcessBuilder("true").start();
            finished.waitFor();
            Path dead = Files.createDirectories(root.resolve("dead"));
            Files.writeString(dead.resolve(Spool.OWNER_FILE), ProcessIdentity.host() + " " + finished.pid() + "\n");
            Files.createFile(dead.resolve(Spool.LOCK_FILE));
            Path legacy = Files.createDirectories(root.resolve("legacy-without-owner"));
            Files.createFile(legacy.resolve(Spool.LOCK_FILE));

            assertTrue(Spool.ownedByLiveProcess(root.resolve("other-tracker-same-jvm")));
            assertEquals(List.of(dead, legacy), Spool.orphans(root, root.resolve("mine")),
                    "this JVM's other spool is not probed; a dead owner's spool and an unowned one are candidates");
        }
    }
}
