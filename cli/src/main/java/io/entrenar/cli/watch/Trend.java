package io.entrenar.cli.watch;

import java.util.List;
import java.util.Locale;

import io.entrenar.cli.view.Glyphs;

/** The trend word of a sparkline: up, down or flat, and whether that is an improvement for this metric. */
final class Trend {
    /** A change over the window smaller than this share of the spread reads as flat. */
    static final double FLAT_SHARE = 0.05;

    private Trend() {
    }

    /** Least-squares slope of the values against their index; NaN with fewer than two finite values. */
    static double slope(List<Double> values) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < values.size(); i++) {
            Double v = values.get(i);
            if (v == null || !Double.isFinite(v)) {
                continue;
            }
            n++;
            sx += i;
            sy += v;
            sxx += (double) i * i;
            sxy += i * v;
        }
        double d = n * sxx - sx * sx;
        return n < 2 || d == 0 ? Double.NaN : (n * sxy - sx * sy) / d;
    }

    /**
     * {@code ↓ improving} for a falling loss, {@code ↑ improving} for a rising accuracy, {@code ↑ rising}
     * for a metric of unknown direction; flat when slope times {@code span} is small against {@code std}.
     */
    static String describe(String metric, double slope, double span, double std, Glyphs g) {
        if (!Double.isFinite(slope) || slope == 0 || !(std > 0) || Math.abs(slope * span) < FLAT_SHARE * std) {
            return g.flat() + " flat";
        }
        boolean up = slope > 0;
        String arrow = up ? g.up() : g.down();
        Boolean higherIsBetter = direction(metric);
        if (higherIsBetter == null) {
            return arrow + (up ? " rising" : " falling");
        }
        return arrow + (up == higherIsBetter ? " improving" : " worsening");
    }

    /** Lower is better for losses and errors, higher for accuracy-like scores; null when the name does not say. */
    static Boolean direction(String metric) {
        String m = metric.toLowerCase(Locale.ROOT);
        if (m.contains("loss") || m.contains("error") || m.contains("perplexity") || m.endsWith("mse") || m.endsWith("mae")) {
            return false;
        }
        if (m.contains("acc") || m.contains("f1") || m.contains("auc") || m.contains("precision") || m.contains("recall")
                || m.contains("bleu") || m.contains("score")) {
            return true;
        }
        return null;
    }
}
