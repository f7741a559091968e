package io.entrenar.cli;

import java.util.Locale;

import io.entrenar.cli.view.Glyphs;
import io.entrenar.sink.engine.JdbcEngine;
import picocli.CommandLine.Option;

/**
 * Where the views read from, shared by every read command: the ClickHouse HTTP endpoint (the
 * stack's endpoint over chDB, or a ClickHouse server) and the processors' query server. Works from
 * any process: nothing here opens chDB.
 */
final class ViewOptions {
    @Option(names = "--clickhouse-url", paramLabel = "URL", defaultValue = "${env:ENTRENAR_CLICKHOUSE_URL:-http://127.0.0.1:8123}",
            description = "ClickHouse HTTP endpoint: http://host:port or jdbc:clickhouse://host:port (default ${DEFAULT-VALUE}; env ENTRENAR_CLICKHOUSE_URL).")
    String clickHouseUrl;

    @Option(names = "--clickhouse-user", paramLabel = "USER", defaultValue = "${env:ENTRENAR_CLICKHOUSE_USER:-default}",
            description = "ClickHouse user (default ${DEFAULT-VALUE}; env ENTRENAR_CLICKHOUSE_USER).")
    String user;

    @Option(names = "--clickhouse-password", paramLabel = "PASSWORD", defaultValue = "${env:ENTRENAR_CLICKHOUSE_PASSWORD:-}",
            description = "ClickHouse password (default empty; env ENTRENAR_CLICKHOUSE_PASSWORD).")
    String password;

    @Option(names = "--database", paramLabel = "DB", defaultValue = "${env:ENTRENAR_CLICKHOUSE_DATABASE:-entrenar}",
            description = "Database of the Entrenar tables (default ${DEFAULT-VALUE}; env ENTRENAR_CLICKHOUSE_DATABASE).")
    String database;

    @Option(names = "--ascii", description = "Plain ASCII instead of Unicode box drawing (the default when LANG/LC_ALL is not UTF-8).")
    boolean ascii;

    Glyphs glyphs() {
        return Glyphs.choose(ascii, System.getenv());
    }

    /** A reader's connection that has answered {@code SELECT 1}, or an error naming the endpoint and how to change it. */
    JdbcEngine engine() {
        return connect(false);
    }

    /** A connection that may also write ({@code entrenar sql --write}). */
    JdbcEngine writer() {
        return connect(true);
    }

    private JdbcEngine connect(boolean write) {
        String url = jdbcUrl(clickHouseUrl);
        JdbcEngine engine = null;
        try {
            engine = write ? JdbcEngine.open(url, user, password) : JdbcEngine.openReader(url, user, password);
            engine.rows("SELECT 1");
            return engine;
        } catch (RuntimeException e) {
            if (engine != null) {
                engine.close();
            }
            throw new IllegalStateException("cannot query ClickHouse at " + clickHouseUrl
                    + " (set --clickhouse-url or ENTRENAR_CLICKHOUSE_URL; is the stack running?): " + e.getMessage(), e);
        }
    }

    /** {@code http://h:p[/...]} becomes clickhouse-jdbc's {@code jdbc:clickhouse://h:p[/...]}; https adds ssl=true. */
    static String jdbcUrl(String url) {
        String u = url.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:clickhouse:")) {
            return u;
        }
        if (lower.startsWith("http://")) {
            return "jdbc:clickhouse://" + u.substring("http://".length());
        }
        if (lower.startsWith("https://")) {
            String rest = u.substring("https://".length());
            return "jdbc:clickhouse://" + rest + (rest.contains("?") ? "&" : "?") + "ssl=true";
        }
        throw new IllegalArgumentException("--clickhouse-url must start with http://, https:// or jdbc:clickhouse:, got '" + url + "'");
    }
}
