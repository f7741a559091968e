package io.entrenar.processors;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Composite state-store keys. Every key starts with the run id and a separator so that one run's
 * entries can be read with a prefix scan; the separator cannot occur in metric names sent by the
 * tracking API (control character).
 */
final class StoreKeys {
    static final char SEP = '\u0001';

    private StoreKeys() {
    }

    static String runPrefix(String runId) {
        return runId + SEP;
    }

    static String of(String... parts) {
        return String.join(String.valueOf(SEP), parts);
    }

    static String[] split(String key) {
        return key.split(String.valueOf(SEP), -1);
    }

    /** Name-based UUID, so that a reprocessed input yields the same ids. */
    static String uuid(String... parts) {
        return UUID.nameUUIDFromBytes(of(parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
