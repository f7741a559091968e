package io.entrenar.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.entrenar.cli.view.LeaderboardReport;
import io.entrenar.sink.engine.JdbcEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entrenar leaderboard}: the cost-performance report of spec 24.3 per benchmark. */
@Command(name = "leaderboard", mixinStandardHelpOptions = true,
        description = "Cost-performance report (spec 24.3): Pareto-optimal entries and recommendations per benchmark.")
final class LeaderboardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ViewOptions view;

    @Option(names = "--benchmark", paramLabel = "NAME", description = "Only this benchmark (default: every benchmark).")
    String benchmark;

    @Option(names = "--budget", paramLabel = "USD", description = "Budget in dollars for the within-budget line (default: the budget the entries carry).")
    Double budget;

    @Override
    public Integer call() {
        if (budget != null && !(budget >= 0)) {
            throw new IllegalArgumentException("--budget must be a non-negative amount of dollars, got " + budget);
        }
        try (JdbcEngine engine = view.engine()) {
            List<LeaderboardReport.Report> reports = LeaderboardReport.query(engine, view.database, benchmark, budget);
            if (reports.isEmpty() && benchmark != null) {
                spec.commandLine().getOut().println("No leaderboard entries for benchmark " + benchmark + ".");
            } else {
                spec.commandLine().getOut().print(LeaderboardReport.render(reports, view.glyphs()));
            }
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
