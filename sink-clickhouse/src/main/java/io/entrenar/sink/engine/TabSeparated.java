package io.entrenar.sink.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Parses ClickHouse's {@code TabSeparatedWithNamesAndTypes} output. */
final class TabSeparated {

    private TabSeparated() {
    }

    static QueryResult parseWithNamesAndTypes(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<List<String>> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                nl = text.length();
            }
            lines.add(fields(text, start, nl));
            start = nl + 1;
        }
        if (lines.size() < 2) {
            return new QueryResult(List.of(), List.of(), List.of());
        }
        return new QueryResult(lines.get(0), lines.get(1), lines.subList(2, lines.size()));
    }

    private static List<String> fields(String text, int from, int to) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean escaped = false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '\t') {
                out.add(finish(field, escaped));
                field.setLength(0);
                escaped = false;
            } else if (c == '\\' && i + 1 < to) {
                char e = text.charAt(++i);
                switch (e) {
                    case 't' -> field.append('\t');
                    case 'n' -> field.append('\n');
                    case 'r' -> field.append('\r');
                    case 'b' -> field.append('\b');
                    case 'f' -> field.append('\f');
                    case '0' -> field.append('\0');
                    case 'N' -> escaped = field.isEmpty();
                    default -> field.append(e);
                }
            } else {
                field.append(c);
            }
        }
        out.add(finish(field, escaped));
        return out;
    }

    private static String finish(StringBuilder field, boolean nullMarker) {
        return nullMarker && field.isEmpty() ? null : field.toString();
    }
}
