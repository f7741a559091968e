package io.entrenar.cli.view;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A boxed text table in the layout of spec 21.3: a header row, a rule, then rows; columns as wide
 * as their widest cell, one space of padding. Numbers read best right-aligned ({@link #alignRight}).
 */
public final class TextTable {
    private final List<String> headers;
    private final boolean[] right;
    private final List<List<String>> rows = new ArrayList<>();

    private TextTable(List<String> headers) {
        if (headers.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.headers = List.copyOf(headers);
        this.right = new boolean[headers.size()];
    }

    public static TextTable of(String... headers) {
        return new TextTable(Arrays.asList(headers));
    }

    /** Right-aligns the named columns. */
    public TextTable alignRight(String... columns) {
        for (String c : columns) {
            int i = headers.indexOf(c);
            if (i < 0) {
                throw new IllegalArgumentException("no column " + c + " in " + headers);
            }
            right[i] = true;
        }
        return this;
    }

    /** Adds a row; null cells print as {@code -}. */
    public TextTable row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the table has " + headers.size()
                    + " columns " + headers + ": " + Arrays.toString(cells));
        }
        List<String> row = new ArrayList<>(cells.length);
        for (String c : cells) {
            row.add(c == null ? Cells.MISSING : c.replace('\n', ' ').replace('\t', ' '));
        }
        rows.add(row);
        return this;
    }

    public int size() {
        return rows.size();
    }

    /** The table, every line ending in a newline. */
    public String render(Glyphs g) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Cells.width(headers.get(i));
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], Cells.width(row.get(i)));
            }
        }
        StringBuilder out = new StringBuilder();
        rule(out, g, widths, g.boxTopLeft(), g.teeDown(), g.boxTopRight());
        line(out, g, widths, headers, new boolean[widths.length]);
        rule(out, g, widths, g.teeRight(), g.cross(), g.teeLeft());
        for (List<String> row : rows) {
            line(out, g, widths, row, right);
        }
        rule(out, g, widths, g.boxBottomLeft(), g.teeUp(), g.boxBottomRight());
        return out.toString();
    }

    private static void rule(StringBuilder out, Glyphs g, int[] widths, String left, String middle, String rightCorner) {
        out.append(left);
        for (int i = 0; i < widths.length; i++) {
            out.append(Glyphs.repeat(g.horizontal(), widths[i] + 2)).append(i == widths.length - 1 ? rightCorner : middle);
        }
        out.append('\n');
    }

    private static void line(StringBuilder out, Glyphs g, int[] widths, List<String> cells, boolean[] right) {
        out.append(g.vertical());
        for (int i = 0; i < widths.length; i++) {
            String c = cells.get(i);
            out.append(' ').append(right[i] ? Cells.padLeft(c, widths[i]) : Cells.padRight(c, widths[i])).append(' ').append(g.vertical());
        }
        out.append('\n');
    }
}
