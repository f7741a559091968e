package io.entrenar.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * An app's metrics, read when scraped (the app keeps its own counters; nothing is copied on the hot
 * path), rendered in the Prometheus text exposition format 0.0.4.
 */
public final class Metrics {
    /** Counter (only goes up) or gauge. */
    public enum Type { COUNTER, GAUGE }

    private record Family(String name, Type type, String help, Supplier<Map<Map<String, String>, Double>> samples) {
    }

    private final List<Family> families = new CopyOnWriteArrayList<>();
    private final List<Supplier<Map<String, Map<Map<String, String>, Double>>>> dynamic = new CopyOnWriteArrayList<>();

    /** A single unlabelled series. Counter names should end in {@code _total}. */
    public Metrics register(String name, Type type, String help, DoubleSupplier value) {
        return registerLabelled(name, type, help, () -> Map.of(Map.of(), value.getAsDouble()));
    }

    /** Several series of one metric, e.g. one per channel or per topic. */
    public Metrics registerLabelled(String name, Type type, String help, Supplier<Map<Map<String, String>, Double>> samples) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + name);
        }
        if (families.stream().anyMatch(f -> f.name().equals(name))) {
            throw new IllegalArgumentException("metric registered twice: " + name);
        }
        families.add(new Family(name, type, help, samples));
        return this;
    }

    /**
     * Gauges whose names are only known when scraped, such as a client library's own metrics: the
     * supplier returns series by metric name. Names are made valid (other characters become {@code _});
     * non-finite values are left out.
     */
    public Metrics registerDynamic(Supplier<Map<String, Map<Map<String, String>, Double>>> families) {
        dynamic.add(families);
        return this;
    }

    /** The exposition text. */
    public String scrape() {
        List<Family> all = new ArrayList<>(families);
        for (Supplier<Map<String, Map<Map<String, String>, Double>>> supplier : dynamic) {
            Map<String, Map<Map<String, String>, Double>> byName = new TreeMap<>();
            supplier.get().forEach((name, samples) -> {
                Map<Map<String, String>, Double> finite = byName.computeIfAbsent(sanitize(name), k -> new java.util.LinkedHashMap<>());
                samples.forEach((labels, v) -> {
                    if (v != null && Double.isFinite(v)) {
                        Map<String, String> clean = new TreeMap<>();
                        labels.forEach((k, lv) -> clean.put(sanitize(k), lv));
                        finite.put(clean, v);
                    }
                });
            });
            byName.forEach((name, samples) -> {
                if (!samples.isEmpty() && all.stream().noneMatch(f -> f.name().equals(name))) {
                    all.add(new Family(name, Type.GAUGE, name, () -> samples));
                }
            });
        }
        StringBuilder out = new StringBuilder();
        for (Family f : all) {
            out.append("# HELP ").append(f.name()).append(' ').append(escapeHelp(f.help())).append('\n');
            out.append("# TYPE ").append(f.name()).append(' ').append(f.type().name().toLowerCase(java.util.Locale.ROOT)).append('\n');
            for (Map.Entry<Map<String, String>, Double> sample : f.samples().get().entrySet()) {
                out.append(f.name());
                if (!sample.getKey().isEmpty()) {
                    out.append('{');
                    boolean first = true;
                    for (Map.Entry<String, String> label : new TreeMap<>(sample.getKey()).entrySet()) {
                        out.append(first ? "" : ",").append(label.getKey()).append("=\"").append(escapeLabel(label.getValue())).append('"');
                        first = false;
                    }
                    out.append('}');
                }
                out.append(' ').append(format(sample.getValue())).append('\n');
            }
        }
        return out.toString();
    }

    private static String sanitize(String name) {
        String s = name.replaceAll("[^a-zA-Z0-9_:]", "_");
        return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "_" + s : s;
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"");
    }
}
