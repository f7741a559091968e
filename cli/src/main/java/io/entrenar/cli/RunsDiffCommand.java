package io.entrenar.cli;

import java.util.concurrent.Callable;

import io.entrenar.cli.view.RunsDiff;
import io.entrenar.sink.engine.JdbcEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entrenar runs diff A B}: what differs between two runs. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "What differs between two runs: fields and provenance (commit, config and data hashes, device), "
                + "the parameters and tags that differ, and every metric at the end.")
final class RunsDiffCommand implements Callable<Integer> {
    enum Format { table, json }

    @Spec
    CommandSpec spec;

    @Mixin
    ViewOptions view;

    @Parameters(index = "0", paramLabel = "A", description = "Run id.")
    String runA;

    @Parameters(index = "1", paramLabel = "B", description = "Run id.")
    String runB;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        try (JdbcEngine engine = view.engine()) {
            var rows = RunsDiff.query(engine, view.database, runA, runB);
            spec.commandLine().getOut().print(format == Format.json ? RunsDiff.json(rows) : RunsDiff.render(runA, runB, rows, view.glyphs()));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
