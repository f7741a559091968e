package io.entrenar.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page and its assets, read from the jar once ({@code io/entrenar/dashboard/web/}). The chart
 * library is a pinned npm package's minified file committed next to them, so nothing is fetched
 * at run time.
 */
final class StaticAssets {
    private static final String ROOT = "/io/entrenar/dashboard/web/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    record Asset(byte[] bytes, String contentType) {
    }

    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    /** The asset at {@code path} (relative, no leading slash), or null when there is none. */
    Asset get(String path) {
        if (path.isEmpty()) {
            path = "index.html";
        }
        if (!path.matches("[A-Za-z0-9_./-]+") || path.contains("..")) {
            return null;
        }
        String p = path;
        return cache.computeIfAbsent(p, k -> load(k));
    }

    /** Fails at start, with what to do, when the build left the chart library out. */
    static void requirePresent() {
        for (String name : new String[] {"index.html", "app.js", "app.css", "vendor/uPlot.iife.min.js", "vendor/uPlot.min.css"}) {
            if (StaticAssets.class.getResource(ROOT + name) == null) {
                throw new IllegalStateException("the dashboard's asset " + name + " is missing from the build; run "
                        + "`./entrenar setup` (or scripts/dashboard-assets) and rebuild");
            }
        }
    }

    private static Asset load(String path) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                return null;
            }
            String ext = path.substring(path.lastIndexOf('.') + 1);
            return new Asset(in.readAllBytes(), TYPES.getOrDefault(ext, "application/octet-stream"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
