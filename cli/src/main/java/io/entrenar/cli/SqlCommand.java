package io.entrenar.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.entrenar.cli.view.TextTable;
import io.entrenar.sink.engine.JdbcEngine;
import io.entrenar.sink.engine.QueryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code entrenar sql "..."}: one statement against ClickHouse; reads only unless {@code --write}.
 * Whether a statement reads is for the engine to say, not for a filter here: reads carry
 * {@code readonly=1}, and the stack's endpoint runs every statement as a read.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs one SQL statement against ClickHouse and prints the result as a table.",
                "Read-only by default: the statement runs with readonly=1, so the engine refuses writes, DDL, setting",
                "changes and table functions that reach files or the network. --write runs it as a writer (a ClickHouse",
                "server's user permissions apply; the stack's endpoint serves reads only).",
                "Values go in as query parameters: --param run=abc with {run:String} in the SQL."})
final class SqlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ViewOptions view;

    @Parameters(paramLabel = "SQL", description = "One statement (several ;-separated statements are refused).")
    String sql;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "Query parameter for {NAME:Type} (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Print in this ClickHouse output format instead (e.g. JSONEachRow, CSV, TabSeparatedWithNames).")
    String format;

    @Option(names = "--write", description = "Run the statement as a writer (INSERT, ALTER, DROP, ...) on a ClickHouse server.")
    boolean write;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (JdbcEngine engine = write ? view.writer() : view.engine()) {
            if (write) {
                engine.execute(sql, params);
                out.println("OK");
            } else if (format != null || ownFormat(sql) != null) {
                // A statement's own FORMAT clause wins over any requested format: print what it asked for.
                out.print(new String(engine.query(sql, params, format != null ? format : ownFormat(sql)), StandardCharsets.UTF_8));
            } else {
                QueryResult result = engine.rows(sql, params);
                TextTable table = TextTable.of(result.columns().toArray(String[]::new));
                for (int i = 0; i < result.columns().size(); i++) {
                    if (result.types().get(i).matches("(Nullable\\()?(U?Int|Float|Decimal).*")) {
                        table.alignRight(result.columns().get(i));
                    }
                }
                result.rows().forEach(r -> table.row(r.stream().map(v -> v == null ? "NULL" : v).toArray(String[]::new)));
                out.print(table.render(view.glyphs()));
                out.println(result.size() + (result.size() == 1 ? " row" : " rows"));
            }
        }
        out.flush();
        return 0;
    }

    private static final java.util.regex.Pattern OWN_FORMAT =
            java.util.regex.Pattern.compile("(?is).*\\bFORMAT\\s+([A-Za-z][A-Za-z0-9]*)\\s*;?\\s*");

    /** The output format a statement names at its end ({@code ... FORMAT TSV}), or null. */
    static String ownFormat(String sql) {
        java.util.regex.Matcher m = OWN_FORMAT.matcher(sql);
        return m.matches() ? m.group(1) : null;
    }
}
