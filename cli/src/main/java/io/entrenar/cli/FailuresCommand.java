package io.entrenar.cli;

import java.util.concurrent.Callable;

import io.entrenar.cli.view.FailureParetoTable;
import io.entrenar.sink.engine.JdbcEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entrenar failures}: the failure Pareto (spec 20.3) from ClickHouse. */
@Command(name = "failures", mixinStandardHelpOptions = true,
        description = "Failure Pareto (spec 20.3): which error codes cause most failures of failed runs, from ClickHouse.")
final class FailuresCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ViewOptions view;

    @Option(names = "--experiment", paramLabel = "ID", description = "Only failures of this experiment id.")
    String experiment;

    @Override
    public Integer call() {
        try (JdbcEngine engine = view.engine()) {
            spec.commandLine().getOut().print(FailureParetoTable.render(
                    FailureParetoTable.query(engine, view.database, experiment), view.glyphs()));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
