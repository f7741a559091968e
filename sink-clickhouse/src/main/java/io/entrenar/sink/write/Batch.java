package io.entrenar.sink.write;

import io.entrenar.sink.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Map;

/**
 * Rows for every table, accumulated in RowBinary, then inserted table by table through files
 * (never inline: chDB would run data after a blank line as SQL). Reused across flushes.
 */
public final class Batch {

    private final Map<SinkTable, RowBinary> buffers = new EnumMap<>(SinkTable.class);
    private final Map<SinkTable, Integer> rows = new EnumMap<>(SinkTable.class);
    /** Metric points travel column by column in Native format: the table that takes millions of rows/s. */
    private final NativeColumns points = new NativeColumns(SinkTable.METRIC_POINTS.columns(),
            SinkTable.METRIC_POINTS_TYPES, 1 << 20);

    /** The columns to write {@code n} metric points into (every column gets exactly n values). */
    public NativeColumns metricPoints(int n) {
        points.addRows(n);
        return points;
    }

    /** The buffer to write one row of {@code table} into. */
    public RowBinary row(SinkTable table) {
        return rows(table, 1);
    }

    /** The buffer to write {@code n} rows of {@code table} into. */
    public RowBinary rows(SinkTable table, int n) {
        if (table == SinkTable.METRIC_POINTS) {
            throw new IllegalArgumentException("metric points are written as columns: use metricPoints(n)");
        }
        rows.merge(table, n, Integer::sum);
        return buffers.computeIfAbsent(table, t -> new RowBinary(1 << 12));
    }

    public int rows() {
        int n = points.rows();
        for (int r : rows.values()) {
            n += r;
        }
        return n;
    }

    public int rows(SinkTable table) {
        return table == SinkTable.METRIC_POINTS ? points.rows() : rows.getOrDefault(table, 0);
    }

    public long bytes() {
        long n = points.bytes();
        for (RowBinary b : buffers.values()) {
            n += b.size();
        }
        return n;
    }

    public boolean isEmpty() {
        return rows.isEmpty() && points.rows() == 0;
    }

    /** Inserts every table's rows into {@code database} via files in {@code spoolDir}, then clears. */
    public void insert(Engine engine, String database, Path spoolDir) {
        if (points.rows() > 0) {
            insertViaFile(engine, database, SinkTable.METRIC_POINTS, spoolDir, "Native", points::writeTo);
        }
        for (Map.Entry<SinkTable, RowBinary> e : buffers.entrySet()) {
            if (e.getValue().size() > 0) {
                insertViaFile(engine, database, e.getKey(), spoolDir, "RowBinary", e.getValue()::writeTo);
            }
        }
        clear();
    }

    private final Map<SinkTable, Integer> markedSizes = new EnumMap<>(SinkTable.class);
    private final Map<SinkTable, Integer> markedRows = new EnumMap<>(SinkTable.class);

    /** Remembers the current end, so that a record that fails half-way can be taken out again. */
    public void mark() {
        points.mark();
        markedSizes.clear();
        for (Map.Entry<SinkTable, RowBinary> e : buffers.entrySet()) {
            markedSizes.put(e.getKey(), e.getValue().size());
        }
        markedRows.clear();
        markedRows.putAll(rows);
    }

    /** Drops everything appended since {@link #mark()}. */
    public void rollback() {
        points.rollback();
        for (Map.Entry<SinkTable, RowBinary> e : buffers.entrySet()) {
            e.getValue().truncate(markedSizes.getOrDefault(e.getKey(), 0));
        }
        rows.clear();
        rows.putAll(markedRows);
    }

    public void clear() {
        points.clear();
        for (RowBinary b : buffers.values()) {
            b.clear();
        }
        rows.clear();
    }

    /** What writes a table's rows into a file. */
    private interface RowsWriter {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Bulk rows go through a file, never inline in SQL (chDB trap 2): write, insert, delete. */
    private static void insertViaFile(Engine engine, String database, SinkTable table, Path spoolDir, String format,
                                      RowsWriter rows) {
        Path file = spoolDir.resolve(table.tableName() + "-" + Thread.currentThread().threadId() + "." + format.toLowerCase(java.util.Locale.ROOT));
        try {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                rows.writeTo(ch);
            }
            engine.insertFile(database + "." + table.tableName(), table.columns(), file, format);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file, ex);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // Overwritten by the next flush anyway.
            }
        }
    }
}
