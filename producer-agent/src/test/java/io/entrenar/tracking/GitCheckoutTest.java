package io.entrenar.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit a config's directory is checked out at, read from .git's files as git lays them out. */
class GitCheckoutTest {
    private static final String A = "0123456789abcdef0123456789abcdef01234567";
    private static final String B = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path repo;

    @Test
    void aBranchALooseOrPackedRefADetachedHeadAWorktreeAndNoCheckoutAtAll() throws IOException {
        Path git = Files.createDirectories(repo.resolve(".git"));
        Path jobs = Files.createDirectories(repo.resolve("jobs/nested"));
        Files.writeString(git.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.createDirectories(git.resolve("refs/heads"));
        Files.writeString(git.resolve("refs/heads/main"), A + "\n");
        assertEquals(Optional.of(new GitCheckout(A, "main")), GitCheckout.of(jobs), "found from a subdirectory");

        Files.delete(git.resolve("refs/heads/main"));
        Files.writeString(git.resolve("packed-refs"), "# pack-refs with: peeled fully-peeled sorted\n" + B + " refs/heads/main\n");
        assertEquals(Optional.of(new GitCheckout(B, "main")), GitCheckout.of(jobs), "after git gc: packed-refs");

        Files.writeString(git.resolve("HEAD"), A + "\n");
        assertEquals(Optional.of(new GitCheckout(A, null)), GitCheckout.of(jobs), "detached HEAD: no branch");

        Path worktree = Files.createDirectories(repo.resolve("wt"));
        Path wtGit = Files.createDirectories(git.resolve("worktrees/wt"));
        Files.writeString(wtGit.resolve("HEAD"), "ref: refs/heads/feature\n");
        Files.writeString(wtGit.resolve("commondir"), "../..\n");
        Files.createDirectories(git.resolve("refs/heads"));
        Files.writeString(git.resolve("refs/heads/feature"), B + "\n");
        Files.writeString(worktree.resolve(".git"), "gitdir: " + wtGit + "\n");
        assertEquals(Optional.of(new GitCheckout(B, "feature")), GitCheckout.of(worktree), "a worktree's refs live in the common dir");

        Files.writeString(git.resolve("HEAD"), "ref: refs/heads/empty\n");
        assertTrue(GitCheckout.of(jobs).isEmpty(), "a branch without commits has no commit");
        Path elsewhere = Files.createTempDirectory("no-git");
        assertTrue(GitCheckout.of(elsewhere).isEmpty(), "a directory outside any checkout has no commit");
    }
}
