package io.entrenar.trainer.listen;

import java.nio.file.Path;

/**
 * A trained model on disk.
 *
 * @param sha256 of the file as written
 * @param canonicalSha256 of the model's canonical form (weights, or for Tribuo-trained ensembles
 *        their predictions on the run's data), identical across runs with the same seed in
 *        deterministic mode; Tribuo's own files carry a wall-clock provenance timestamp
 * @param format e.g. {@code entrenar-weights-v1}, {@code tribuo-model-proto}
 */
public record ModelArtifact(String name, Path path, String sha256, String canonicalSha256, long sizeBytes,
        String format) {
}
