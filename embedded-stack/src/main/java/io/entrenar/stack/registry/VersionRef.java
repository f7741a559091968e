package io.entrenar.stack.registry;

import java.util.Locale;

/** A version in a URL: a number in [1, 2^31-1], or "latest" (also spelled -1). */
record VersionRef(int number) {
    static final VersionRef LATEST = new VersionRef(-1);

    /** @throws ApiError 42202 for anything else */
    static VersionRef parse(String text) {
        String t = text.trim();
        if (t.toLowerCase(Locale.ROOT).equals("latest")) {
            return LATEST;
        }
        try {
            int n = Integer.parseInt(t);
            if (n == -1) {
                return LATEST;
            }
            if (n >= 1) {
                return new VersionRef(n);
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw ApiError.invalidVersion(text);
    }

    boolean latest() {
        return number == -1;
    }
}
