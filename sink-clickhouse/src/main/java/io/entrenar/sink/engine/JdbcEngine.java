package io.entrenar.sink.engine;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import com.clickhouse.jdbc.ConnectionImpl;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A ClickHouse server (or our HTTP endpoint over chDB) through clickhouse-jdbc: the production
 * path. DDL runs through JDBC; RowBinary inserts, formatted output and bound parameters through
 * the client-v2 {@link Client} the JDBC connection is built on, so the same payloads and SQL run
 * here as in {@link ChdbEngine}.
 */
public final class JdbcEngine implements Engine {

    private static final long TIMEOUT_SECONDS = 300;

    private final Connection connection;
    private final Client client;
    private final boolean reader;

    private JdbcEngine(Connection connection, Client client, boolean reader) {
        this.connection = connection;
        this.client = client;
        this.reader = reader;
    }

    /**
     * The clickhouse-jdbc URL of a ClickHouse HTTP address as users write it ({@code http(s)://HOST:PORT}),
     * or {@code url} itself when it already is one; IllegalArgumentException for anything else.
     */
    public static String jdbcUrl(String url) {
        String u = url.strip();
        if (u.startsWith("jdbc:clickhouse:") || u.startsWith("jdbc:ch:")) {
            return u;
        }
        if (u.matches("https?://[^/\\s]+/?")) {
            return "jdbc:clickhouse:" + (u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
        }
        throw new IllegalArgumentException("expected http(s)://HOST:PORT or jdbc:clickhouse:...");
    }

    /** Connects to {@code url} ({@code jdbc:clickhouse://host:port[/db][?options]}) to read and write. */
    public static JdbcEngine open(String url, String user, String password) {
        return open(url, user, password, false);
    }

    /**
     * Connects as a reader, as the CLI views, {@code entrenar sql} and the dashboard do: every query
     * carries {@code readonly=1}, which a ClickHouse server enforces (the stack's endpoint reads
     * only whatever is asked), and {@link #execute} and {@link #insertFile} refuse.
     */
    public static JdbcEngine openReader(String url, String user, String password) {
        return open(url, user, password, true);
    }

    private static JdbcEngine open(String url, String user, String password, boolean reader) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password == null ? "" : password);
        // client-v2 retries errors it deems retryable three more times, among them READONLY (164), TIMEOUT_EXCEEDED
        // (159) and TOO_MANY_SIMULTANEOUS_QUERIES (202): a refused statement was sent four times and a runaway read
        // held the engine four times its limit. Only faults of the connection itself are retried here; the sink
        // retries its inserts itself.
        props.setProperty("client_retry_on_failures", "NoHttpResponse,ConnectTimeout,ConnectionRequestTimeout");
        try {
            Connection c = DriverManager.getConnection(url, props);
            Client client = c.unwrap(ConnectionImpl.class).getClient();
            return new JdbcEngine(c, client, reader);
        } catch (SQLException e) {
            throw new ClickHouseException(e.getErrorCode(), "cannot connect to " + url + ": " + e.getMessage(), e);
        }
    }

    /** The JDBC connection, for callers that want plain JDBC. */
    public Connection connection() {
        return connection;
    }

    @Override
    public String kind() {
        return "jdbc";
    }

    @Override
    public void execute(String sql, Map<String, String> params) {
        refuseIfReader();
        String statement = SingleStatement.require(sql);
        if (params.isEmpty()) {
            try (Statement s = connection.createStatement()) {
                s.execute(statement);
            } catch (SQLException e) {
                throw translate(e);
            }
            return;
        }
        await(() -> client.execute(statement, new HashMap<>(params)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).close());
    }

    @Override
    @SuppressWarnings("try") // QueryResponse.close() declares Exception; await() translates it
    public byte[] query(String sql, Map<String, String> params, String format) {
        String statement = SingleStatement.require(sql);
        QuerySettings settings = new QuerySettings().setFormat(ClickHouseFormat.valueOf(format));
        if (reader) {
            settings.serverSetting("readonly", "1");
        }
        if (format.startsWith("JSON")) {
            // Numbers as numbers, as chDB and ClickHouse since 25.8 write them by default (older servers quote 64-bit ones).
            settings.serverSetting("output_format_json_quote_64bit_integers", "0");
        }
        Map<String, Object> p = new HashMap<>(params);
        return await(() -> {
            try (QueryResponse r = client.query(statement, p, settings).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                 InputStream in = r.getInputStream()) {
                return in.readAllBytes();
            }
        });
    }

    @Override
    public QueryResult rows(String sql, Map<String, String> params) {
        return TabSeparated.parseWithNamesAndTypes(query(sql, params, "TabSeparatedWithNamesAndTypes"));
    }

    @Override
    public void insertFile(String table, List<String> columns, Path file, String format) {
        refuseIfReader();
        ChdbEngine.insertFromFile(table, columns, file, format); // validates names the same way
        ClickHouseFormat f = ClickHouseFormat.valueOf(format);
        await(() -> {
            try (InputStream in = Files.newInputStream(file)) {
                client.insert(table, columns, in, f).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
            }
            return null;
        });
    }

    private void refuseIfReader() {
        if (reader) {
            throw new ClickHouseException(164, "Code: 164. DB::Exception: Cannot execute query in readonly mode: "
                    + "this connection was opened to read. (READONLY)");
        }
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private interface VoidCall {
        void call() throws Exception;
    }

    private static void await(VoidCall call) {
        await(() -> {
            call.call();
            return null;
        });
    }

    private static <T> T await(Call<T> call) {
        try {
            return call.call();
        } catch (ExecutionException e) {
            throw translate(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException(ClickHouseException.CLIENT_ERROR, "interrupted", e);
        } catch (Exception e) {
            throw translate(e);
        }
    }

    private static ClickHouseException translate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClickHouseException c) {
                return c;
            }
            if (t instanceof ServerException s) {
                return new ClickHouseException(s.getCode(), s.getMessage(), e);
            }
        }
        if (e instanceof SQLException s && s.getErrorCode() != 0) {
            return new ClickHouseException(s.getErrorCode(), s.getMessage(), e);
        }
        ClickHouseException parsed = ClickHouseException.fromMessage(String.valueOf(e.getMessage()));
        return new ClickHouseException(parsed.code(), parsed.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw translate(e);
        }
    }

}
