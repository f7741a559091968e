package io.entrenar.sink.write;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * Rows of one table kept column by column and written as one block of ClickHouse's {@code Native}
 * format: column count and row count, then per column its name, type and values (fixed-width
 * little-endian numbers; strings length-prefixed, as in RowBinary). ClickHouse parses this about
 * twice as fast as RowBinary, which matters for metric points, the one table with millions of rows
 * per second.
 */
public final class NativeColumns {

    private final List<String> names;
    private final List<String> types;
    private final RowBinary[] columns;
    private final int[] marks;
    private int rows;
    private int markedRows;

    NativeColumns(List<String> names, List<String> types, int initialBytesPerColumn) {
        if (names.size() != types.size()) {
            throw new IllegalArgumentException("names " + names + " and types " + types + " differ in length");
        }
        this.names = List.copyOf(names);
        this.types = List.copyOf(types);
        this.columns = new RowBinary[names.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new RowBinary(initialBytesPerColumn);
        }
        this.marks = new int[columns.length];
    }

    /** The values of column {@code i}; the caller appends exactly {@code rows} values to every column. */
    public RowBinary column(int i) {
        return columns[i];
    }

    void addRows(int n) {
        rows += n;
    }

    int rows() {
        return rows;
    }

    long bytes() {
        long n = 0;
        for (RowBinary c : columns) {
            n += c.size();
        }
        return n;
    }

    void mark() {
        for (int i = 0; i < columns.length; i++) {
            marks[i] = columns[i].size();
        }
        markedRows = rows;
    }

    void rollback() {
        for (int i = 0; i < columns.length; i++) {
            columns[i].truncate(marks[i]);
        }
        rows = markedRows;
    }

    void clear() {
        for (RowBinary c : columns) {
            c.clear();
        }
        rows = 0;
    }

    void writeTo(FileChannel channel) throws IOException {
        RowBinary header = new RowBinary(256);
        header.varuint(columns.length).varuint(rows);
        header.writeTo(channel);
        for (int i = 0; i < columns.length; i++) {
            RowBinary h = new RowBinary(64);
            h.string(names.get(i)).string(types.get(i));
            h.writeTo(channel);
            columns[i].writeTo(channel);
        }
    }
}
