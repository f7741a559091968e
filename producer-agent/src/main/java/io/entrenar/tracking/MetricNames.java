package io.entrenar.tracking;

import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Interns metric names to small ids, once per name: the hot path is one lock-free map read.
 * Names are validated when first seen, so a bad name fails at the call that introduced it.
 */
final class MetricNames {
    static final int MAX_LENGTH = 250;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.\\-][A-Za-z0-9_.:/@\\-\\[\\] ]*");

    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private volatile String[] names = new String[64];
    private int count;
    private final int maxNames;

    MetricNames(int maxNames) {
        this.maxNames = maxNames;
    }

    int idOf(String name) {
        if (name == null) {
            throw new IllegalArgumentException("metric name is null");
        }
        Integer id = ids.get(name);
        return id != null ? id : register(name);
    }

    String name(int id) {
        return names[id];
    }

    int count() {
        return ids.size();
    }

    private synchronized int register(String name) {
        Integer existing = ids.get(name);
        if (existing != null) {
            return existing;
        }
        check(name);
        if (count >= maxNames) {
            throw new IllegalStateException("too many distinct metric names (limit " + maxNames
                    + "); metric names must be a fixed vocabulary, put varying parts in steps or tags: " + name);
        }
        int id = count++;
        String[] current = names;
        if (id >= current.length) {
            String[] grown = java.util.Arrays.copyOf(current, current.length * 2);
            grown[id] = name;
            names = grown;
        } else {
            current[id] = name;
            names = current; // volatile write publishes the element to the drain thread
        }
        ids.put(name, id);
        return id;
    }

    static void check(String name) {
        if (name == null) {
            throw new IllegalArgumentException("metric name is null");
        }
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("metric name must be 1.." + MAX_LENGTH + " characters, got "
                    + name.length() + ": " + abbreviate(name));
        }
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid metric name '" + abbreviate(name)
                    + "': use letters, digits, spaces and _ . : / @ - [ ], starting with a letter, digit, _ . or -");
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
