package io.entrenar.cli.view;

import java.util.Locale;
import java.util.Set;

/**
 * Decides whether SQL only reads: its first keyword, after comments and opening parentheses, must
 * be one of {@link #READ_KEYWORDS}. This is a guard against accidents on the client side; a server
 * that must not be written to should also refuse (the stack's ClickHouse HTTP endpoint is read-only).
 */
public final class ReadOnlySql {
    public static final Set<String> READ_KEYWORDS = Set.of("SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXPLAIN");

    private ReadOnlySql() {
    }

    /** The first keyword, upper-cased ({@code ""} when the text has none). */
    public static String firstKeyword(String sql) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || c == '#') {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else {
                int start = i;
                while (i < n && (Character.isLetter(sql.charAt(i)) || sql.charAt(i) == '_')) {
                    i++;
                }
                return sql.substring(start, i).toUpperCase(Locale.ROOT);
            }
        }
        return "";
    }

    public static boolean isRead(String sql) {
        return READ_KEYWORDS.contains(firstKeyword(sql));
    }
}
