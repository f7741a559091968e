package io.entrenar.cli.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;

/**
 * Andon incidents from the {@code alerts} table ({@code entrenar alerts}): one row per incident,
 * open unless a RESOLVED event for it has landed.
 */
public final class AlertsTable {
    private static final String SQL = """
            SELECT
                incident_id,
                any(run_id) AS incident_run,
                if(countIf(state = 'RESOLVED') > 0, 'RESOLVED', 'FIRING') AS incident_state,
                toString(argMax(rule, ts)) AS last_rule,
                toString(argMax(severity, ts)) AS last_severity,
                argMax(metric, ts) AS last_metric,
                argMax(step, ts) AS last_step,
                argMinIf(message, ts, state = 'FIRING') AS first_message,
                toString(argMax(action, ts)) AS last_action,
                toUnixTimestamp64Micro(min(fired_at)) AS fired_micros,
                toUnixTimestamp64Micro(maxOrNull(resolved_at)) AS resolved_micros
            FROM %s.alerts FINAL
            WHERE {run:String} = '' OR run_id = {run:String}
            GROUP BY incident_id
            HAVING {all:UInt8} = 1 OR incident_state = 'FIRING'
            ORDER BY fired_micros DESC, incident_id
            LIMIT {limit:UInt32}
            """;

    private AlertsTable() {
    }

    /** One incident; {@code resolvedAt} null while it is open. */
    public record Incident(String incidentId, String runId, String state, String rule, String severity, String metric,
                           Long step, String message, String action, Instant firedAt, Instant resolvedAt) {
        public boolean open() {
            return "FIRING".equals(state);
        }
    }

    /** Incidents of {@code runId} (all runs when empty), open ones only unless {@code includeResolved}. */
    public static List<Incident> query(Engine engine, String database, String runId, boolean includeResolved, int limit) {
        QueryResult q = engine.rows(String.format(SQL, Database.checked(database)), Map.of("run", runId == null ? "" : runId,
                "all", includeResolved ? "1" : "0", "limit", Integer.toString(limit)));
        List<Incident> out = new ArrayList<>(q.size());
        for (int i = 0; i < q.size(); i++) {
            out.add(new Incident(q.get(i, "incident_id"), q.get(i, "incident_run"), q.get(i, "incident_state"), q.get(i, "last_rule"),
                    q.get(i, "last_severity"), q.get(i, "last_metric"), Cells.parseLong(q.get(i, "last_step")), q.get(i, "first_message"),
                    q.get(i, "last_action"), instant(q.get(i, "fired_micros")), instant(q.get(i, "resolved_micros"))));
        }
        return out;
    }

    public static String render(List<Incident> incidents, Glyphs g) {
        if (incidents.isEmpty()) {
            return "No alerts.\n";
        }
        TextTable t = TextTable.of("Fired (UTC)", "Run ID", "State", "Severity", "Rule", "Metric", "Step", "Action", "Message")
                .alignRight("Step");
        for (Incident a : incidents) {
            t.row(a.firedAt() == null ? null : a.firedAt().toString().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z"), a.runId(),
                    a.open() ? g.fail() + " FIRING" : g.ok() + " RESOLVED", a.severity(), a.rule(), a.metric(),
                    a.step() == null ? null : Long.toString(a.step()), a.action(), Cells.clip(a.message(), 60, g));
        }
        return t.render(g);
    }

    static Instant instant(String micros) {
        Long m = Cells.parseLong(micros);
        return m == null ? null : Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000L);
    }
}
