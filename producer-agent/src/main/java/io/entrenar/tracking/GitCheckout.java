package io.entrenar.tracking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The git commit a directory is checked out at, read from the {@code .git} files themselves (HEAD,
 * the ref it names, packed-refs; a worktree's {@code .git} file pointing elsewhere): no {@code git}
 * process, nothing on the training's path but a few small file reads.
 *
 * @param branch null when HEAD is detached
 */
public record GitCheckout(String commit, String branch) {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

    /** The checkout that contains {@code dir} (or a file in it), or empty when none does or it cannot be read. */
    public static Optional<GitCheckout> of(Path dir) {
        try {
            for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
                Path git = d.resolve(".git");
                if (Files.isDirectory(git)) {
                    return read(git, git);
                }
                if (Files.isRegularFile(git)) {
                    // a worktree or submodule: "gitdir: <path>"; shared refs live in its commondir
                    String pointer = Files.readString(git, StandardCharsets.UTF_8).strip();
                    if (!pointer.startsWith("gitdir:")) {
                        return Optional.empty();
                    }
                    Path gitDir = d.resolve(pointer.substring("gitdir:".length()).strip()).normalize();
                    Path common = Files.isRegularFile(gitDir.resolve("commondir"))
                            ? gitDir.resolve(Files.readString(gitDir.resolve("commondir")).strip()).normalize() : gitDir;
                    return read(gitDir, common);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<GitCheckout> read(Path gitDir, Path common) throws IOException {
        String head = Files.readString(gitDir.resolve("HEAD"), StandardCharsets.UTF_8).strip();
        if (SHA.matcher(head).matches()) {
            return Optional.of(new GitCheckout(head, null));
        }
        if (!head.startsWith("ref:")) {
            return Optional.empty();
        }
        String ref = head.substring("ref:".length()).strip();
        String branch = ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
        for (Path root : new Path[] {gitDir, common}) {
            Path loose = root.resolve(ref);
            if (Files.isRegularFile(loose)) {
                String sha = Files.readString(loose, StandardCharsets.UTF_8).strip();
                return SHA.matcher(sha).matches() ? Optional.of(new GitCheckout(sha, branch)) : Optional.empty();
            }
        }
        Path packed = common.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                String[] parts = line.strip().split(" ");
                if (parts.length == 2 && parts[1].equals(ref) && SHA.matcher(parts[0]).matches()) {
                    return Optional.of(new GitCheckout(parts[0], branch));
                }
            }
        }
        return Optional.empty(); // a branch without commits yet
    }
}
