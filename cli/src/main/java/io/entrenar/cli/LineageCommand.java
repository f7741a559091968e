package io.entrenar.cli;

import java.util.concurrent.Callable;

import io.entrenar.cli.view.LineageTree;
import io.entrenar.sink.engine.JdbcEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entrenar lineage RUN}: the lineage DAG around a run as a tree (spec 6). */
@Command(name = "lineage", mixinStandardHelpOptions = true,
        description = "Shows what a run derives from (teacher, base model, ...) and what derives from it, as a tree (spec 6).")
final class LineageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ViewOptions view;

    @Parameters(paramLabel = "RUN", description = "Run id.")
    String runId;

    @Override
    public Integer call() {
        try (JdbcEngine engine = view.engine()) {
            spec.commandLine().getOut().print(LineageTree.render(LineageTree.query(engine, view.database, runId), view.glyphs()));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
