package io.entrenar.cli.view;

import java.util.List;
import java.util.Locale;

/** Horizontal bars, progress bars and sparklines in the {@link Glyphs} of the terminal. */
public final class Bars {
    private Bars() {
    }

    /** A bar {@code fraction} of {@code width} filled (clamped to 0..1); empty cells drawn only when {@code track}. */
    public static String bar(double fraction, int width, Glyphs g, boolean track) {
        double f = Double.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
        int filled = (int) Math.round(f * width);
        return Glyphs.repeat(g.barFull(), filled) + (track ? Glyphs.repeat(g.barEmpty(), width - filled) : "");
    }

    /**
     * The last {@code width} values as a sparkline, scaled between their finite minimum and
     * maximum; non-finite values show as {@code !} so a NaN is seen, not hidden.
     */
    public static String sparkline(List<Double> values, int width, Glyphs g) {
        List<Double> tail = values.size() > width ? values.subList(values.size() - width, values.size()) : values;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Double v : tail) {
            if (v != null && Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        String levels = g.sparks();
        int n = levels.codePointCount(0, levels.length());
        StringBuilder out = new StringBuilder();
        for (Double v : tail) {
            if (v == null || !Double.isFinite(v)) {
                out.append('!');
                continue;
            }
            int level = max > min ? (int) Math.round((v - min) / (max - min) * (n - 1)) : n / 2;
            out.appendCodePoint(levels.codePointAt(levels.offsetByCodePoints(0, level)));
        }
        return out.toString();
    }

    /** {@code [████░░░░] 40/100 (40%)}; without a total only the count. */
    public static String progress(long done, Long total, int width, Glyphs g) {
        if (total == null || total <= 0) {
            return "[" + Glyphs.repeat(g.barEmpty(), width) + "] " + done + "/?";
        }
        double f = Math.min(1.0, (double) done / total);
        return "[" + bar(f, width, g, true) + "] " + done + "/" + total
                + String.format(Locale.ROOT, " (%d%%)", Math.round(f * 100));
    }
}
