package io.entrenar.cli.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;
import io.entrenar.sink.sql.AnalysisQuery;

/**
 * The failure Pareto of spec 20.3 ({@code entrenar failures}): error codes by how many failures
 * they caused, with their share, the cumulative share, a bar, and the "vital few" line naming the
 * codes that make up the first 80 %.
 */
public final class FailureParetoTable {
    static final double VITAL_FEW_PCT = 80.0;
    private static final int BAR_WIDTH = 20;

    private FailureParetoTable() {
    }

    /** One error code; {@code runs} and {@code remediation} are null when the source does not know them. */
    public record FailureRow(String errorCode, String category, long occurrences, Long runs, double pct,
                             double cumulativePct, String remediation) {
    }

    /** From ClickHouse (exact: failures of runs that ended FAILED); {@code experimentId} empty for all. */
    public static List<FailureRow> query(Engine engine, String database, String experimentId) {
        QueryResult q = AnalysisQuery.FAILURE_PARETO.run(engine, Database.checked(database),
                Map.of("experiment_id", experimentId == null ? "" : experimentId));
        List<FailureRow> out = new ArrayList<>(q.size());
        for (int i = 0; i < q.size(); i++) {
            out.add(new FailureRow(q.get(i, "error_code"), q.get(i, "category"), q.getLong(i, "occurrences"),
                    q.getLong(i, "runs"), q.getDouble(i, "pct"), q.getDouble(i, "cumulative_pct"), q.get(i, "remediation")));
        }
        return out;
    }

    /** The failure Pareto of every experiment: the entry point for {@code entrenar demo}. */
    public static String render(Engine engine, String database, Glyphs g) {
        return render(query(engine, database, ""), g);
    }

    public static String render(List<FailureRow> rows, Glyphs g) {
        if (rows.isEmpty()) {
            return "No failed runs with recorded failures.\n";
        }
        boolean withRuns = rows.stream().anyMatch(r -> r.runs() != null);
        boolean withRemediation = rows.stream().anyMatch(r -> r.remediation() != null && !r.remediation().isEmpty());
        List<String> headers = new ArrayList<>(List.of("Error code", "Category", "Count"));
        if (withRuns) {
            headers.add("Runs");
        }
        headers.addAll(List.of("Share", "Cumulative", "Pareto"));
        if (withRemediation) {
            headers.add("Remediation");
        }
        TextTable t = TextTable.of(headers.toArray(String[]::new)).alignRight("Count", "Share", "Cumulative");
        if (withRuns) {
            t.alignRight("Runs");
        }
        double max = rows.stream().mapToDouble(FailureRow::pct).max().orElse(100);
        for (FailureRow r : rows) {
            List<String> cells = new ArrayList<>(List.of(r.errorCode(), r.category(), Cells.count(r.occurrences())));
            if (withRuns) {
                cells.add(r.runs() == null ? null : Cells.count(r.runs()));
            }
            cells.add(percent(r.pct()));
            cells.add(percent(r.cumulativePct()));
            cells.add(Bars.bar(max <= 0 ? 0 : r.pct() / max, BAR_WIDTH, g, false));
            if (withRemediation) {
                cells.add(r.remediation() == null ? null : Cells.clip(r.remediation(), 60, g));
            }
            t.row(cells.toArray(String[]::new));
        }
        List<String> vital = vitalFew(rows);
        return t.render(g) + String.format(Locale.ROOT, "%s of %d error codes cause %s of failures: %s%n",
                vital.size(), rows.size(), percent(rows.get(vital.size() - 1).cumulativePct()), String.join(", ", vital));
    }

    /** The fewest leading codes whose cumulative share reaches 80 % (all of them if none does). */
    static List<String> vitalFew(List<FailureRow> rows) {
        List<String> out = new ArrayList<>();
        for (FailureRow r : rows) {
            out.add(r.errorCode());
            if (r.cumulativePct() >= VITAL_FEW_PCT - 1e-9) {
                break;
            }
        }
        return out;
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v);
    }
}
