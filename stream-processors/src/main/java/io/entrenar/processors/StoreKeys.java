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

    /**
     * Content-based id in UUID form for high-volume outputs (stats, ETA): two 64-bit FNV-1a hashes
     * mixed with the numbers, much cheaper than {@link #uuid}'s MD5; same input, same id.
     */
    static String fastId(String a, String b, long x, long y, long z, long w) {
        long h1 = fnv(fnv(0xcbf29ce484222325L, a), b);
        long h2 = fnv(fnv(0x84222325cbf29ce4L, b), a);
        h1 = mix(h1 ^ mix(x) ^ Long.rotateLeft(mix(y), 17));
        h2 = mix(h2 ^ mix(z + 0x9E3779B97F4A7C15L) ^ Long.rotateLeft(mix(w), 29) ^ x);
        // Version 8 (custom), IETF variant.
        return new UUID((h1 & ~0xF000L) | 0x8000L, (h2 & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h ^ 0xff;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Name-based UUID, so that a reprocessed input yields the same ids. */
    static String uuid(String... parts) {
        return UUID.nameUUIDFromBytes(of(parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
