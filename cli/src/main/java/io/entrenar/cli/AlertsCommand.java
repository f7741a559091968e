package io.entrenar.cli;

import java.util.concurrent.Callable;

import io.entrenar.cli.view.AlertsTable;
import io.entrenar.sink.engine.JdbcEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entrenar alerts}: Andon incidents from the alerts table. */
@Command(name = "alerts", mixinStandardHelpOptions = true, description = "Lists Andon incidents, newest first: open ones unless --all.")
final class AlertsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ViewOptions view;

    @Option(names = "--run", paramLabel = "RUN", description = "Only incidents of this run.")
    String runId;

    @Option(names = "--all", description = "Resolved incidents too.")
    boolean all;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many incidents (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
        }
        try (JdbcEngine engine = view.engine()) {
            spec.commandLine().getOut().print(AlertsTable.render(AlertsTable.query(engine, view.database, runId, all, limit), view.glyphs()));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
