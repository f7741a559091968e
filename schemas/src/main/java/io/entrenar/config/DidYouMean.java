package io.entrenar.config;

import java.util.Collection;
import java.util.Comparator;

/** Suggestions for misspelt configuration keys and names, shared by every config loader. */
public final class DidYouMean {
    private DidYouMean() {
    }

    /** " (did you mean X?)" for a close known name, else "; known: a, b, c". */
    public static String suggest(String given, Collection<String> known) {
        return known.stream()
                .min(Comparator.comparingInt(k -> distance(k, given)))
                .filter(best -> distance(best, given) <= Math.max(2, given.length() / 3))
                .map(best -> " (did you mean " + best + "?)")
                .orElse("; known: " + String.join(", ", known.stream().sorted().toList()));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
