package io.entrenar.tracking;

import io.entrenar.events.ArtifactFormat;

/** Artifact formats that can run code when loaded (spec 9): refused unless signed off. */
final class ArtifactPolicy {
    private ArtifactPolicy() {
    }

    static boolean isUnsafe(ArtifactFormat format) {
        return format == ArtifactFormat.PICKLE || format == ArtifactFormat.PYTORCH_BIN || format == ArtifactFormat.JAVA_SERIALIZED;
    }
}
