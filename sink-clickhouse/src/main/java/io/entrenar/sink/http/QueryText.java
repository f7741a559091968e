package io.entrenar.sink.http;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a read-write endpoint splits an INSERT from its data (the data never becomes SQL text). It
 * decides nothing about safety: reads go through the engine's own parser ({@code Reader}).
 */
final class QueryText {

    private static final Pattern INSERT_FORMAT =
            Pattern.compile("(?is)^\\s*(INSERT\\s+INTO\\s+.+?)\\s+FORMAT\\s+([A-Za-z0-9]+)\\s*$");
    private static final Pattern INSERT_VALUES = Pattern.compile("(?is)^\\s*(INSERT\\s+INTO\\s+.+?)\\s+VALUES\\b(.*)$");

    private QueryText() {
    }

    /** An INSERT whose data follows separately: the statement without FORMAT, and the format. */
    record Insert(String statement, String format) {
    }

    /** {@code INSERT INTO t (...) FORMAT X} → its parts; null if the text is not such an insert. */
    static Insert insertWithFormat(String sql) {
        Matcher m = INSERT_FORMAT.matcher(sql);
        return m.matches() ? new Insert(m.group(1).strip(), m.group(2)) : null;
    }

    /** {@code INSERT INTO t (...) VALUES (...)}: the statement and the inline values, or null. */
    static String[] insertValues(String sql) {
        Matcher m = INSERT_VALUES.matcher(sql);
        return m.matches() ? new String[] {m.group(1).strip(), m.group(2)} : null;
    }

    static boolean isInsert(String sql) {
        return stripLeading(sql).toUpperCase(Locale.ROOT).startsWith("INSERT");
    }

    private static String stripLeading(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        return sql.substring(i);
    }

    /** Undoes ClickHouse's escaping of query parameter values (the engine escapes raw values again). */
    static String unescapeParameter(String v) {
        if (v.indexOf('\\') < 0) {
            return v;
        }
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                char e = v.charAt(++i);
                switch (e) {
                    case 't' -> b.append('\t');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case '0' -> b.append('\0');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    default -> b.append(e);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
