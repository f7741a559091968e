package io.entrenar.cli.view;

import java.time.Duration;
import java.util.Locale;

/** How views write numbers, durations and missing values in cells. */
public final class Cells {
    static final String MISSING = "-";

    private Cells() {
    }

    /** {@code 45m 12s}, {@code 2h 03m}, {@code 2m 34s}, {@code 850ms}; {@code -} when unknown. */
    public static String duration(Duration d) {
        if (d == null || d.isNegative()) {
            return MISSING;
        }
        long s = d.toSeconds();
        if (s == 0) {
            return d.toMillis() + "ms";
        }
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        if (s < 86_400) {
            return (s / 3600) + "h " + String.format(Locale.ROOT, "%02dm", (s % 3600) / 60);
        }
        return (s / 86_400) + "d " + String.format(Locale.ROOT, "%02dh", (s % 86_400) / 3600);
    }

    /** {@code digits} decimals; {@code NaN}/{@code inf} spelled out; {@code -} for null. */
    public static String number(Double v, int digits) {
        if (v == null) {
            return MISSING;
        }
        if (v.isNaN()) {
            return "NaN";
        }
        if (v.isInfinite()) {
            return v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /**
     * Dollars with cents, or three significant digits below a cent: a run of a few seconds on a
     * cloud VM costs millionths of a dollar, and 0.00 would hide the differences the leaderboard ranks.
     */
    public static String money(Double v) {
        return figures(v, 2, 0.01);
    }

    /**
     * {@code digits} decimals, or three significant digits for a value below {@code small} in size: tiny
     * amounts (a short run's cost or kWh) keep their digits instead of showing as a bare 0.00.
     */
    public static String figures(Double v, int digits, double small) {
        if (v == null || !Double.isFinite(v) || v == 0 || Math.abs(v) >= small) {
            return number(v, digits);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** Compact magnitude for counters: {@code 12,345}. */
    public static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Bytes as {@code 1.2 MB}. */
    public static String bytes(long v) {
        if (v < 1024) {
            return v + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double x = v;
        int u = -1;
        while (x >= 1024 && u < units.length - 1) {
            x /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", x, units[u]);
    }

    /** ClickHouse's TabSeparated text for a Float64 (nan, inf, \N) as a Double, or null. */
    public static Double parseDouble(String v) {
        if (v == null || v.isEmpty() || v.equals("\\N")) {
            return null;
        }
        return switch (v) {
            case "nan", "-nan" -> Double.NaN;
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }

    static Long parseLong(String v) {
        return v == null || v.isEmpty() || v.equals("\\N") ? null : Long.parseLong(v);
    }

    /** Display width: code points (our glyphs are all single-width). */
    public static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    public static String padRight(String s, int width) {
        int w = width(s);
        return w >= width ? s : s + " ".repeat(width - w);
    }

    static String padLeft(String s, int width) {
        int w = width(s);
        return w >= width ? s : " ".repeat(width - w) + s;
    }

    /** At most {@code width} code points; an ellipsis marks the cut. */
    public static String clip(String s, int width, Glyphs g) {
        if (width(s) <= width) {
            return s;
        }
        if (width <= 1) {
            return s.substring(0, s.offsetByCodePoints(0, Math.max(width, 0)));
        }
        String mark = g.unicode() ? "…" : "~";
        return s.substring(0, s.offsetByCodePoints(0, width - 1)) + mark;
    }
}
