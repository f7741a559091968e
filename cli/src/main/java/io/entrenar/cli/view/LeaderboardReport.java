package io.entrenar.cli.view;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;
import io.entrenar.sink.sql.AnalysisQuery;

/**
 * The cost-performance report of spec 24.3 ({@code entrenar leaderboard}): per benchmark a header
 * with the budget and the best entry, the entries with their Pareto status, and the two
 * recommendation lines (the cheapest Pareto-optimal entry against the most accurate one, and the
 * most accurate entry within budget against the cheapest).
 */
public final class LeaderboardReport {
    private static final String BENCHMARKS = """
            SELECT benchmark, any(dataset) AS dataset, any(task) AS task, any(quality_metric) AS quality_metric,
                   maxOrNull(budget_usd) AS budget_usd, count() AS entries
            FROM %s.leaderboard FINAL
            WHERE {benchmark:String} = '' OR benchmark = {benchmark:String}
            GROUP BY benchmark
            ORDER BY benchmark
            """;

    private LeaderboardReport() {
    }

    /** One leaderboard entry with its Pareto status from {@code pareto_frontier.sql}. */
    /** @param costUsd null when unknown: shown as "-", ranked as the highest cost (as the leaderboard processor does) */
    public record Entry(String runId, String model, String device, double quality, Double costUsd, Double energyKwh,
                        boolean paretoOptimal) {
    }

    /** The most accurate entry within budget, and how it compares with the cheapest entry. */
    public record WithinBudget(Entry entry, double qualityOverCheapest, double costOverCheapestUsd) {
    }

    /** Everything one benchmark's report shows; {@code budgetUsd} and {@code withinBudget} may be null. */
    public record Report(String benchmark, String dataset, String task, String qualityMetric, Double budgetUsd,
                         List<Entry> entries, WithinBudget withinBudget) {
        public Report {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Reports for {@code benchmark} (all benchmarks when null or empty); {@code budgetUsd} overrides the
     * budget the leaderboard entries carry (null: theirs).
     */
    public static List<Report> query(Engine engine, String database, String benchmark, Double budgetUsd) {
        String db = Database.checked(database);
        QueryResult benchmarks = engine.rows(String.format(BENCHMARKS, db), Map.of("benchmark", benchmark == null ? "" : benchmark));
        List<Report> out = new ArrayList<>();
        for (int i = 0; i < benchmarks.size(); i++) {
            String name = benchmarks.get(i, "benchmark");
            QueryResult p = AnalysisQuery.PARETO_FRONTIER.run(engine, db, Map.of("benchmark", name));
            List<Entry> entries = new ArrayList<>();
            for (int r = 0; r < p.size(); r++) {
                entries.add(new Entry(p.get(r, "run_id"), p.get(r, "model"), p.get(r, "device"), p.getDouble(r, "quality"),
                        Cells.parseDouble(p.get(r, "cost_usd")), Cells.parseDouble(p.get(r, "energy_kwh")), "true".equals(p.get(r, "pareto_optimal"))));
            }
            Double budget = budgetUsd != null ? budgetUsd : Cells.parseDouble(benchmarks.get(i, "budget_usd"));
            WithinBudget within = null;
            if (budget != null) {
                QueryResult b = AnalysisQuery.BEST_FOR_BUDGET.run(engine, db, Map.of("benchmark", name, "budget_usd", Double.toString(budget)));
                if (b.size() == 1) {
                    String runId = b.get(0, "run_id");
                    Entry e = entries.stream().filter(x -> x.runId().equals(runId)).findFirst().orElseThrow();
                    within = new WithinBudget(e, b.getDouble(0, "quality_over_cheapest"), b.getDouble(0, "cost_over_cheapest_usd"));
                }
            }
            out.add(new Report(name, benchmarks.get(i, "dataset"), benchmarks.get(i, "task"), benchmarks.get(i, "quality_metric"),
                    budget, entries, within));
        }
        return out;
    }

    /** Every benchmark's report with the budgets the entries carry: the entry point for {@code entrenar demo}. */
    public static String render(Engine engine, String database, Glyphs g) {
        return render(query(engine, database, null, null), g);
    }

    public static String render(List<Report> reports, Glyphs g) {
        if (reports.isEmpty()) {
            return "No leaderboard entries yet.\n";
        }
        StringBuilder out = new StringBuilder();
        for (Report r : reports) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(render(r, g));
        }
        return out.toString();
    }

    public static String render(Report r, Glyphs g) {
        String quality = r.qualityMetric() == null || r.qualityMetric().isEmpty() ? "Quality"
                : Character.toUpperCase(r.qualityMetric().charAt(0)) + r.qualityMetric().substring(1);
        TextTable t = TextTable.of("Model", "Device", quality, "Cost($)", "kWh", "Pareto").alignRight(quality, "Cost($)", "kWh");
        for (Entry e : r.entries()) {
            t.row(e.model(), e.device() == null ? null : e.device().toUpperCase(Locale.ROOT), Cells.number(e.quality(), 3),
                    Cells.money(e.costUsd()), Cells.figures(e.energyKwh(), 3, 0.001), e.paretoOptimal() ? g.star() + " OPTIMAL" : "dominated");
        }
        String table = t.render(g);
        int width = Cells.width(table.substring(0, table.indexOf('\n')));
        List<String> header = new ArrayList<>();
        header.add("COST-PERFORMANCE BENCHMARK: " + r.benchmark()
                + (r.dataset() == null || r.task() == null ? "" : " (" + r.dataset() + "/" + r.task() + ")"));
        Entry best = best(r);
        header.add("Budget: " + (r.budgetUsd() == null ? "none" : dollars(r.budgetUsd()))
                + " | Best: " + (best == null ? "-" : label(best) + (best.paretoOptimal() ? " (Pareto optimal)" : "")));
        StringBuilder out = new StringBuilder();
        box(out, header, width, g);
        out.append('\n').append(table).append('\n');
        recommendations(r).forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    /** The spec's two lines; fewer when the leaderboard cannot support them. */
    static List<String> recommendations(Report r) {
        List<String> lines = new ArrayList<>();
        Entry mostAccurate = r.entries().stream().max(Comparator.comparingDouble(Entry::quality)
                .thenComparing(Comparator.comparingDouble(LeaderboardReport::costRank).reversed())).orElse(null);
        Entry cheapestOptimal = r.entries().stream().filter(Entry::paretoOptimal)
                .min(Comparator.comparingDouble(LeaderboardReport::costRank).thenComparing(Comparator.comparingDouble(Entry::quality).reversed()))
                .orElse(null);
        if (mostAccurate != null && cheapestOptimal != null && cheapestOptimal != mostAccurate) {
            double lossPoints = (mostAccurate.quality() - cheapestOptimal.quality()) * 100;
            String savings = cheapestOptimal.costUsd() == null || mostAccurate.costUsd() == null ? "unknown cost savings"
                    : cheapestOptimal.costUsd() > 0
                    ? String.format(Locale.ROOT, "%.0fx cost savings", mostAccurate.costUsd() / cheapestOptimal.costUsd())
                    : "no cost";
            lines.add(String.format(Locale.ROOT, "Recommendation: Use %s for %s with %.1f%% %s loss.", label(cheapestOptimal),
                    savings, lossPoints, r.qualityMetric() == null ? "quality" : r.qualityMetric()));
        } else if (mostAccurate != null) {
            lines.add("Recommendation: Use " + label(mostAccurate) + ": it is both the cheapest and the most accurate.");
        }
        if (r.withinBudget() != null) {
            WithinBudget w = r.withinBudget();
            lines.add(String.format(Locale.ROOT, "For max %s within budget: %s (%+.1f%% %s, +%s)",
                    r.qualityMetric() == null ? "quality" : r.qualityMetric(), label(w.entry()), w.qualityOverCheapest() * 100,
                    r.qualityMetric() == null ? "quality" : r.qualityMetric(), dollars(w.costOverCheapestUsd())));
        } else if (r.budgetUsd() != null) {
            lines.add("No entry fits the budget of " + dollars(r.budgetUsd()) + ".");
        }
        return lines;
    }

    /** The header's "Best": the entry within budget when there is a budget, else the most efficient optimal entry. */
    private static Entry best(Report r) {
        if (r.withinBudget() != null) {
            return r.withinBudget().entry();
        }
        return r.entries().stream().filter(Entry::paretoOptimal)
                .max(Comparator.comparingDouble(e -> e.costUsd() == null ? -1 : e.costUsd() > 0 ? e.quality() / e.costUsd() : Double.MAX_VALUE))
                .orElse(null);
    }

    /** An unknown cost ranks as the highest: it never beats a known one. */
    private static double costRank(Entry e) {
        return e.costUsd() == null ? Double.POSITIVE_INFINITY : e.costUsd();
    }

    private static String label(Entry e) {
        return e.device() == null || e.device().isEmpty() || e.model().toLowerCase(Locale.ROOT).endsWith(e.device().toLowerCase(Locale.ROOT))
                ? e.model() : e.model() + "-" + e.device().toLowerCase(Locale.ROOT);
    }

    private static String dollars(double v) {
        return "$" + Cells.money(v);
    }

    private static void box(StringBuilder out, List<String> lines, int width, Glyphs g) {
        int inner = Math.max(width - 2, lines.stream().mapToInt(Cells::width).max().orElse(0) + 2);
        out.append(g.roundTopLeft()).append(Glyphs.repeat(g.horizontal(), inner)).append(g.roundTopRight()).append('\n');
        for (String l : lines) {
            out.append(g.vertical()).append(' ').append(Cells.padRight(l, inner - 1)).append(g.vertical()).append('\n');
        }
        out.append(g.roundBottomLeft()).append(Glyphs.repeat(g.horizontal(), inner)).append(g.roundBottomRight()).append('\n');
    }
}
