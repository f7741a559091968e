package io.entrenar.sink.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The ClickHouse engine as the sink and the SQL library see it: chDB in this process
 * ({@link ChdbEngine}) or a ClickHouse server through clickhouse-jdbc ({@link JdbcEngine}).
 * Both run the same DDL, the same RowBinary insert payloads and the same SQL.
 *
 * <p>Every method takes exactly one statement. Values never go into SQL text: queries take
 * ClickHouse query parameters ({@code {name:Type}}), inserts take files.
 */
public interface Engine extends AutoCloseable {

    /** Runs one statement that returns nothing (DDL, OPTIMIZE, ...), binding {@code {name:Type}} parameters. */
    void execute(String sql, Map<String, String> params);

    default void execute(String sql) {
        execute(sql, Map.of());
    }

    /** Runs one query and returns its output in a ClickHouse format (e.g. {@code JSONEachRow}). */
    byte[] query(String sql, Map<String, String> params, String format);

    /** Runs one query and returns its rows as text, as ClickHouse writes them in TabSeparated. */
    QueryResult rows(String sql, Map<String, String> params);

    default QueryResult rows(String sql) {
        return rows(sql, Map.of());
    }

    /**
     * Inserts the rows of {@code file} (written in {@code format}, e.g. RowBinary) into
     * {@code table}'s {@code columns}, in this order.
     */
    void insertFile(String table, List<String> columns, Path file, String format);

    /** A short name for logs and metrics: {@code chdb} or {@code jdbc}. */
    String kind();

    @Override
    void close();
}
