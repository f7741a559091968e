package io.entrenar.cli.view;

import java.util.Locale;
import java.util.Map;

/**
 * The characters views draw with: box drawing, status marks, sparkline and bar blocks, arrows.
 * {@link #UNICODE} matches the spec's layouts; {@link #ASCII} keeps every view readable on
 * terminals and logs that cannot show Unicode.
 */
public record Glyphs(boolean unicode, String boxTopLeft, String boxTopRight, String boxBottomLeft, String boxBottomRight,
                     String horizontal, String vertical, String teeDown, String teeUp, String teeRight, String teeLeft, String cross,
                     String roundTopLeft, String roundTopRight, String roundBottomLeft, String roundBottomRight,
                     String heavyRule, String lightRule, String sparks, String barFull, String barEmpty,
                     String ok, String fail, String running, String star, String up, String down, String flat,
                     String treeBranch, String treeLast, String treePipe, String treeSpace) {

    public static final Glyphs UNICODE = new Glyphs(true, "┌", "┐", "└", "┘", "─", "│", "┬", "┴", "├", "┤", "┼",
            "╭", "╮", "╰", "╯", "═", "─", "▁▂▃▄▅▆▇█", "█", "░",
            "✓", "✗", "▶", "★", "↑", "↓", "→", "├── ", "└── ", "│   ", "    ");

    public static final Glyphs ASCII = new Glyphs(false, "+", "+", "+", "+", "-", "|", "+", "+", "+", "+", "+",
            "+", "+", "+", "+", "=", "-", "_.-=oO#@", "#", ".",
            "+", "x", ">", "*", "^", "v", "-", "|-- ", "`-- ", "|   ", "    ");

    /**
     * Unicode when the locale says UTF-8 (LC_ALL, then LC_CTYPE, then LANG, as the C library
     * resolves them) and {@code TERM} is not {@code dumb}; ASCII otherwise.
     */
    public static Glyphs detect(Map<String, String> env) {
        if ("dumb".equals(env.get("TERM"))) {
            return ASCII;
        }
        for (String key : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.get(key);
            if (v != null && !v.isEmpty()) {
                String lower = v.toLowerCase(Locale.ROOT);
                return lower.contains("utf-8") || lower.contains("utf8") ? UNICODE : ASCII;
            }
        }
        return ASCII;
    }

    /** ASCII when forced, else what the environment supports. */
    public static Glyphs choose(boolean forceAscii, Map<String, String> env) {
        return forceAscii ? ASCII : detect(env);
    }

    /** {@code s} repeated to {@code n} characters wide. */
    public static String repeat(String s, int n) {
        return n <= 0 ? "" : s.repeat(n);
    }
}
