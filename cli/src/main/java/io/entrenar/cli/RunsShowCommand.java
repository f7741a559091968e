package io.entrenar.cli;

import java.util.concurrent.Callable;

import io.entrenar.cli.view.RunDetail;
import io.entrenar.sink.engine.JdbcEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entrenar runs show RUN}: one run in detail. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one run: fields, metric summaries, failures, artifacts.")
final class RunsShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ViewOptions view;

    @Parameters(paramLabel = "RUN", description = "Run id.")
    String runId;

    @Override
    public Integer call() {
        try (JdbcEngine engine = view.engine()) {
            spec.commandLine().getOut().print(RunDetail.render(engine, view.database, runId, view.glyphs()));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
