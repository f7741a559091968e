package io.entrenar.trainer.listen;

import java.nio.file.Path;

/** A checkpoint that was written atomically and is safe to resume from. */
public record Checkpoint(Path path, long step, int epoch, String sha256, long sizeBytes) {
}
