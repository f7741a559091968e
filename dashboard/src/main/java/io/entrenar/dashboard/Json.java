package io.entrenar.dashboard;

/** The little JSON the dashboard writes itself (ClickHouse writes the rest). */
final class Json {
    private Json() {
    }

    static String quote(CharSequence s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** JSON has no NaN or infinity: they travel as null (the chart shows a gap). */
    static void number(StringBuilder b, double v) {
        if (Double.isFinite(v)) {
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                b.append((long) v);
            } else {
                b.append(v);
            }
        } else {
            b.append("null");
        }
    }
}
