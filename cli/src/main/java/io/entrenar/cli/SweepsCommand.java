package io.entrenar.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import io.entrenar.cli.view.SweepsReport;
import io.entrenar.sink.engine.JdbcEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entrenar sweeps [show SWEEP]}: sweeps with their best trial; one sweep's trials and the parameters that mattered. */
@Command(name = "sweeps", mixinStandardHelpOptions = true,
        description = "Lists sweeps with their trial counts and best trial; 'sweeps show SWEEP' ranks its trials and shows which parameters mattered.",
        subcommands = SweepsCommand.Show.class)
final class SweepsCommand implements Callable<Integer> {
    enum Format { table, json }

    /** How trials are ranked, shared by both commands. */
    static final class RankingOptions {
        @Option(names = "--metric", defaultValue = "test_accuracy",
                description = "Summary metric that ranks the trials (default ${DEFAULT-VALUE}).")
        String metric;

        @Option(names = "--lower-is-better", description = "The smallest value is the best (a loss).")
        boolean lowerIsBetter;

        @Option(names = "--format", defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE}).")
        Format format;

        SweepsReport.Ranking ranking() {
            return new SweepsReport.Ranking(metric, lowerIsBetter);
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ViewOptions view;

    @Mixin
    RankingOptions ranking;

    @Option(names = "--experiment", paramLabel = "NAME", description = "Only sweeps of this experiment.")
    String experiment;

    @Override
    public Integer call() {
        try (JdbcEngine engine = view.engine()) {
            var rows = SweepsReport.sweeps(engine, view.database, experiment, ranking.ranking());
            spec.commandLine().getOut().print(ranking.format == Format.json ? SweepsReport.json(rows)
                    : SweepsReport.renderSweeps(rows, ranking.ranking(), view.glyphs()));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One sweep: its trials ranked by a metric with the parameters they differ in, and which parameters mattered.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ViewOptions view;

        @Mixin
        RankingOptions ranking;

        @Parameters(paramLabel = "SWEEP", description = "Sweep id (entrenar sweeps lists them).")
        String sweepId;

        @Override
        public Integer call() {
            try (JdbcEngine engine = view.engine()) {
                var trials = SweepsReport.trials(engine, view.database, sweepId, ranking.ranking());
                var effects = SweepsReport.effects(engine, view.database, sweepId, ranking.ranking());
                if (trials.isEmpty()) {
                    spec.commandLine().getErr().println("entrenar sweeps show: no sweep " + sweepId + " (entrenar sweeps lists them)");
                    return 1;
                }
                spec.commandLine().getOut().print(ranking.format == Format.json
                        ? SweepsReport.json(Map.of("sweep_id", sweepId, "metric", ranking.metric, "trials", trials, "effects", effects))
                        : SweepsReport.renderSweep(sweepId, trials, effects, ranking.ranking(), view.glyphs()));
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
