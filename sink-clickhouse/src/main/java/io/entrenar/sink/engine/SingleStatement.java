package io.entrenar.sink.engine;

/**
 * Refuses text holding more than one SQL statement. chDB runs every {@code ;}-separated statement
 * of a query while a ClickHouse server refuses them; anything that forwards SQL from outside goes
 * through here so that "one query" means one statement on both engines.
 */
public final class SingleStatement {

    private SingleStatement() {
    }

    /** Returns the statement without a trailing {@code ;}, or throws a SYNTAX_ERROR (62). */
    public static String require(String sql) {
        int end = statementEnd(sql);
        if (end < 0) {
            return sql;
        }
        for (int i = end + 1; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (!Character.isWhitespace(c) && c != ';') {
                throw new ClickHouseException(ClickHouseException.SYNTAX_ERROR,
                        "Code: 62. DB::Exception: Multi-statements are not allowed: found a second statement at offset "
                                + i + ". (SYNTAX_ERROR)");
            }
        }
        return sql.substring(0, end);
    }

    /** Index of the first {@code ;} outside quotes and comments, or -1. */
    static int statementEnd(String sql) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, c);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || c == '#') {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (c == ';') {
                return i;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static int skipQuoted(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }
}
