package io.entrenar.sink.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of a query as text (ClickHouse's TabSeparated rendering, {@code null} for NULL), with the
 * column names and ClickHouse types.
 */
public record QueryResult(List<String> columns, List<String> types, List<List<String>> rows) {

    public QueryResult {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
        List<List<String>> copy = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = java.util.Collections.unmodifiableList(copy);
    }

    public int size() {
        return rows.size();
    }

    public int column(String name) {
        int i = columns.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + columns);
        }
        return i;
    }

    public String get(int row, String column) {
        return rows.get(row).get(column(column));
    }

    public double getDouble(int row, String column) {
        String v = get(row, column);
        return switch (v) {
            case "nan" -> Double.NaN;
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }

    public long getLong(int row, String column) {
        return Long.parseLong(get(row, column));
    }

    /** The single value of a one-row, one-column result. */
    public String single() {
        if (rows.size() != 1 || columns.size() != 1) {
            throw new IllegalStateException("expected one value, got " + rows.size() + " rows of " + columns);
        }
        return rows.getFirst().getFirst();
    }
}
