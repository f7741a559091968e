package io.entrenar.cli.demo;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrenar.alerting.WebhookReceiver;
import io.entrenar.cli.view.Cells;
import io.entrenar.cli.view.FailureParetoTable;
import io.entrenar.cli.view.Glyphs;
import io.entrenar.cli.view.LeaderboardReport;
import io.entrenar.cli.view.RunsTable;
import io.entrenar.cli.view.TextTable;
import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;
import io.entrenar.sink.sql.AnalysisQuery;

/**
 * What the demo prints once its runs have landed: the runs table, the Pareto leaderboard, the
 * failure Pareto, the alerts the webhook received, ETA accuracy, where to look next and three SQL
 * queries to try. Everything is read back from ClickHouse and the receiver, nothing from memory.
 */
final class DemoReport {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Three questions answered in one query each; {@code %s} is the database. */
    static final List<String> QUERIES_TO_TRY = List.of(
            // Why did it fail?
            "SELECT r.run_name, f.error_code, f.category, f.diagnostic, f.remediation "
                    + "FROM %1$s.failures AS f FINAL INNER JOIN %1$s.runs AS r ON r.run_id = f.run_id ORDER BY f.ts",
            // Which run is best, and what did it cost?
            "SELECT run_name, round(summary['test_accuracy'], 4) AS test_accuracy, round(cost_usd * 1e6, 2) AS micro_usd, round(energy_kwh * 1e6, 2) AS micro_kwh, "
                    + "round(duration_micros / 1e6, 1) AS secs FROM %1$s.runs WHERE status = 'COMPLETED' AND experiment_name = 'demo' "
                    + "ORDER BY test_accuracy DESC",
            // What did each JVM do besides computing (the agent's JFR aggregates)?
            "SELECT r.run_name, s.category, s.operation, sum(s.count) AS calls, sum(s.bytes) AS bytes, "
                    + "round(sum(s.total_duration_micros) / 1e3, 1) AS ms FROM %1$s.syscalls AS s FINAL "
                    + "INNER JOIN %1$s.runs AS r ON r.run_id = s.run_id GROUP BY r.run_name, s.category, s.operation "
                    + "ORDER BY ms DESC LIMIT 15");

    private final Engine engine;
    private final String database;
    private final String experiment;
    private final Glyphs glyphs;

    DemoReport(Engine engine, String database, String experiment, Glyphs glyphs) {
        this.engine = engine;
        this.database = database;
        this.experiment = experiment;
        this.glyphs = glyphs;
    }

    void print(PrintWriter out, WebhookReceiver receiver, Urls urls) {
        List<RunsTable.RunRow> runs = RunsTable.query(engine, database, new RunsTable.Filter(experiment, "", 100));
        section(out, "Runs (experiment " + experiment + ")");
        out.print(RunsTable.render(runs, glyphs));
        section(out, "Pareto leaderboard (test accuracy against cost)");
        out.print(LeaderboardReport.render(engine, database, glyphs));
        section(out, "Failure Pareto");
        out.print(FailureParetoTable.render(engine, database, glyphs));
        // Alerts and ETAs also concern the agent's runs of the JVMs: name every run.
        Map<String, String> names = names(RunsTable.query(engine, database, RunsTable.Filter.newest(1000)));
        section(out, "Alerts the webhook received");
        out.print(alerts(receiver, names));
        section(out, "ETA accuracy (Kalman filter, predicted total duration against actual)");
        out.print(etaAccuracy(names(runs)));
        section(out, "Where to look next");
        if (urls.dashboard() != null) {
            out.printf("  Dashboard          %s%n", urls.dashboard());
        }
        if (urls.mlflow() != null) {
            out.printf("  MLflow API         %s  (MLFLOW_TRACKING_URI for Python jobs)%n", urls.mlflow());
        }
        out.printf("  ClickHouse HTTP    %s%n", urls.clickHouse());
        out.printf("  Processors         %s/failures/pareto%n", urls.processors());
        out.printf("  Webhook receiver   %s/deliveries%n", urls.webhookReceiver());
        out.printf("  Metrics, health    %s/metrics%n", urls.ops());
        out.printf("  Control keys       %s%n", urls.controlKeys());
        out.printf("  Control a job      ./entrenar train %s --track --experiment %s --control-keys %s%n",
                urls.pacedJob(), experiment, urls.controlKeys());
        out.printf("                     then ./entrenar runs pause|resume|stop RUN --control-keys %s%n", urls.controlKeys());
        out.printf("                     (RUN: the id the job prints), or the buttons on its dashboard page%n");
        section(out, "Three SQL queries to try");
        for (String q : QUERIES_TO_TRY) {
            String sql = q.formatted(database);
            out.printf("  ./entrenar sql \"%s\"%n%n", sql.replace("\"", "\\\""));
        }
        out.printf("  or over HTTP: curl '%s/?query=SELECT+count()+FROM+%s.metric_points'%n", urls.clickHouse(), database);
        out.flush();
    }

    /** Addresses of the running pipeline; {@code dashboard} may be null when it is off. */
    record Urls(String dashboard, String mlflow, String clickHouse, String processors, String webhookReceiver, String ops, String controlKeys,
                String pacedJob) {
    }

    private Map<String, String> names(List<RunsTable.RunRow> runs) {
        Map<String, String> names = new HashMap<>();
        runs.forEach(r -> names.put(r.runId(), r.runName()));
        return names;
    }

    private String alerts(WebhookReceiver receiver, Map<String, String> names) {
        TextTable t = TextTable.of("Received", "State", "Rule", "Severity", "Run", "Message", "Signature");
        for (WebhookReceiver.Delivery d : receiver.deliveries()) {
            JsonNode a = d.body();
            String runId = a.path("run_id").asText();
            t.row(TIME.format(d.receivedAt()), a.path("state").asText(), a.path("rule").asText(), a.path("severity").asText(),
                    names.getOrDefault(runId, runId), abbreviate(a.path("message").asText(), 60), d.signatureValid() ? "valid" : "INVALID");
        }
        return t.size() == 0 ? "  (none)\n" : t.render(glyphs);
    }

    private String etaAccuracy(Map<String, String> names) {
        QueryResult q = AnalysisQuery.ETA_ACCURACY.run(engine, database, Map.of());
        TextTable t = TextTable.of("Run", "Estimates", "Predicted s", "Actual s", "Mean error %", "First-half error %")
                .alignRight("Estimates", "Predicted s", "Actual s", "Mean error %", "First-half error %");
        for (int i = 0; i < q.size(); i++) {
            String runId = q.get(i, "run_id");
            if (!names.containsKey(runId)) {
                continue;
            }
            t.row(names.get(runId), q.get(i, "estimates"), fixed(q.get(i, "final_predicted_secs"), 1), fixed(q.get(i, "actual_secs"), 1),
                    fixed(q.get(i, "mean_abs_error_pct"), 1), fixed(q.get(i, "early_mean_abs_error_pct"), 1));
        }
        return t.size() == 0 ? "  (no run lasted long enough for an estimate)\n" : t.render(glyphs);
    }

    private static String fixed(String value, int digits) {
        return Cells.number(Cells.parseDouble(value), digits);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static void section(PrintWriter out, String title) {
        out.println();
        out.println("== " + title + " ==");
    }
}
