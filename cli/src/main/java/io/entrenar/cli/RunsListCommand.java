package io.entrenar.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.entrenar.cli.view.RunsTable;
import io.entrenar.sink.engine.JdbcEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entrenar runs list}: the runs table of spec 21.3, or the same rows as JSON. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists runs, newest first (spec 21.3).")
final class RunsListCommand implements Callable<Integer> {
    enum Format { table, json }

    @Spec
    CommandSpec spec;

    @Mixin
    ViewOptions view;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--experiment", paramLabel = "NAME", description = "Only runs of this experiment (name or id).")
    String experiment;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only runs in this status: RUNNING, COMPLETED, FAILED, STOPPED, PAUSED, ...")
    String status;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many runs (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        RunsTable.Filter filter = new RunsTable.Filter(experiment, status, limit);
        try (JdbcEngine engine = view.engine()) {
            List<RunsTable.RunRow> runs = RunsTable.query(engine, view.database, filter);
            if (format == Format.json) {
                spec.commandLine().getOut().print(RunsTable.json(runs));
            } else if (runs.isEmpty()) {
                spec.commandLine().getOut().println("No runs" + (experiment == null && status == null ? "" : " match") + ".");
            } else {
                spec.commandLine().getOut().print(RunsTable.render(runs, view.glyphs()));
            }
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
