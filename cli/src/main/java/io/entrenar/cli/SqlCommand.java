package io.entrenar.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.entrenar.cli.view.ReadOnlySql;
import io.entrenar.cli.view.TextTable;
import io.entrenar.sink.engine.JdbcEngine;
import io.entrenar.sink.engine.QueryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entrenar sql "..."}: one statement against ClickHouse; reads only unless {@code --write}. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs one SQL statement against ClickHouse and prints the result as a table.",
                "Read-only by default: only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN run unless --write is given.",
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

    @Option(names = "--write", description = "Allow statements that change data or schema (INSERT, ALTER, DROP, ...).")
    boolean write;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean read = ReadOnlySql.isRead(sql);
        if (!read && !write) {
            String keyword = ReadOnlySql.firstKeyword(sql);
            spec.commandLine().getErr().println("entrenar sql: refused: " + (keyword.isEmpty() ? "no statement" : keyword)
                    + " is not a read; entrenar sql only runs " + String.join(", ", new java.util.TreeSet<>(ReadOnlySql.READ_KEYWORDS))
                    + " unless --write is given.");
            return 2;
        }
        try (JdbcEngine engine = view.engine()) {
            if (!read) {
                engine.execute(sql, params);
                out.println("OK");
            } else if (format != null) {
                out.print(new String(engine.query(sql, params, format), StandardCharsets.UTF_8));
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
}
