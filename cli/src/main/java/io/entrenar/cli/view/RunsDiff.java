package io.entrenar.cli.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;
import io.entrenar.sink.sql.AnalysisQuery;

/**
 * {@code entrenar runs diff A B}: what differs between two runs: their fields and provenance (code
 * commit, config and data hashes, device, host), the parameters and tags that differ, and every
 * metric at the end with the difference (the SQL library's {@code run_comparison}).
 */
public final class RunsDiff {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final String SIDE = """
            SELECT r.run_name AS name, r.experiment_name AS experiment, r.status AS status, r.duration_micros AS duration_micros,
                   r.total_steps AS steps, r.cost_usd AS cost_usd, r.energy_kwh AS energy_kwh, r.dataset AS dataset,
                   toJSONString(r.params) AS params, toJSONString(r.tags) AS tags,
                   e.git_commit AS git_commit, e.device_model AS device, e.host AS host
            FROM %1$s.runs AS r
            LEFT JOIN (
                SELECT run_id, argMaxIf(git_commit, (lamport, ts), kind = 'started') AS git_commit,
                       argMaxIf(device_model, (lamport, ts), kind = 'started') AS device_model,
                       argMaxIf(host, (lamport, ts), kind = 'started') AS host
                FROM %1$s.run_events WHERE run_id = {run:String} GROUP BY run_id
            ) AS e ON e.run_id = r.run_id
            WHERE r.run_id = {run:String}
            """;
    /** Tags shown as provenance rows, not among the tags. */
    private static final List<String> PROVENANCE_TAGS = List.of("entrenar.config_sha256", "entrenar.dataset_sha256");

    private RunsDiff() {
    }

    /** One row of the comparison: {@code a} and {@code b} as shown, and whether they differ. */
    public record Row(String section, String key, String a, String b, String delta) {
        boolean differs() {
            return !Objects.equals(a, b);
        }
    }

    /** Every row; unknown runs fail naming them. */
    public static List<Row> query(Engine engine, String database, String runA, String runB) {
        String db = Database.checked(database);
        Map<String, String> a = side(engine, db, runA);
        Map<String, String> b = side(engine, db, runB);
        List<Row> rows = new ArrayList<>();
        for (String field : List.of("name", "experiment", "status", "duration", "steps", "cost_usd", "energy_kwh", "device", "host",
                "dataset", "git_commit")) {
            rows.add(new Row("run", field, a.get(field), b.get(field), null));
        }
        Map<String, String> tagsA = map(a.get("tags"));
        Map<String, String> tagsB = map(b.get("tags"));
        for (String t : PROVENANCE_TAGS) {
            rows.add(new Row("run", t.substring("entrenar.".length()), tagsA.remove(t), tagsB.remove(t), null));
        }
        differing(rows, "param", map(a.get("params")), map(b.get("params")));
        differing(rows, "tag", tagsA, tagsB);
        QueryResult m = AnalysisQuery.RUN_COMPARISON.run(engine, db, Map.of("run_a", runA, "run_b", runB));
        for (int i = 0; i < m.size(); i++) {
            rows.add(new Row("metric", m.get(i, "name"), number(m.get(i, "a_last")), number(m.get(i, "b_last")),
                    number(m.get(i, "delta"))));
        }
        return rows;
    }

    public static String render(String runA, String runB, List<Row> rows, Glyphs g) {
        StringBuilder out = new StringBuilder();
        long params = rows.stream().filter(r -> r.section().equals("param")).count();
        out.append("A = ").append(runA).append("\nB = ").append(runB).append('\n');
        TextTable fields = TextTable.of("", "A", "B");
        for (Row r : rows) {
            if (r.section().equals("run")) {
                fields.row((r.differs() ? "≠ " : "  ") + r.key(), dash(r.a()), dash(r.b()));
            }
        }
        out.append(fields.render(g));
        out.append("\nParameters that differ: ").append(params == 0 ? "none\n" : params + "\n");
        if (params > 0) {
            out.append(table(rows, "param", g));
        }
        if (rows.stream().anyMatch(r -> r.section().equals("tag"))) {
            out.append("\nTags that differ\n").append(table(rows, "tag", g));
        }
        out.append("\nMetrics at the end\n");
        if (rows.stream().noneMatch(r -> r.section().equals("metric"))) {
            out.append("  neither run logged a metric\n");
        } else {
            TextTable t = TextTable.of("Metric", "A", "B", "B - A").alignRight("A", "B", "B - A");
            rows.stream().filter(r -> r.section().equals("metric")).forEach(r -> t.row(r.key(), dash(r.a()), dash(r.b()), dash(r.delta())));
            out.append(t.render(g));
        }
        return out.toString().replace("≠", g == Glyphs.ASCII ? "*" : "≠");
    }

    public static String json(List<Row> rows) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rows) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String table(List<Row> rows, String section, Glyphs g) {
        TextTable t = TextTable.of(section.equals("param") ? "Parameter" : "Tag", "A", "B");
        rows.stream().filter(r -> r.section().equals(section)).forEach(r -> t.row(r.key(), dash(r.a()), dash(r.b())));
        return t.render(g);
    }

    private static void differing(List<Row> rows, String section, Map<String, String> a, Map<String, String> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            if (!Objects.equals(a.get(k), b.get(k))) {
                rows.add(new Row(section, k, a.get(k), b.get(k), null));
            }
        }
    }

    private static Map<String, String> side(Engine engine, String db, String runId) {
        QueryResult q = engine.rows(String.format(SIDE, db), Map.of("run", runId));
        if (q.size() == 0) {
            throw new IllegalArgumentException("no run " + runId + " in " + db + ".runs");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : q.columns()) {
            out.put(c, q.get(0, c));
        }
        Long micros = Cells.parseLong(out.get("duration_micros"));
        out.put("duration", micros == null ? null : Cells.duration(java.time.Duration.ofNanos(micros * 1000)));
        out.put("cost_usd", out.get("cost_usd") == null ? null : Cells.money(Cells.parseDouble(out.get("cost_usd"))));
        out.put("energy_kwh", number(out.get("energy_kwh")));
        out.replaceAll((k, v) -> v == null || v.isEmpty() ? null : v);
        return out;
    }

    private static Map<String, String> map(String json) {
        if (json == null) {
            return new LinkedHashMap<>();
        }
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not a JSON object: " + json, e);
        }
    }

    /** Four decimals, or three significant digits for tiny values (a short run's kWh), never a bare 0.0000. */
    private static String number(String v) {
        Double d = Cells.parseDouble(v);
        return d == null ? null : Cells.figures(d, 4, 0.001);
    }

    private static String dash(String v) {
        return v == null ? "-" : v;
    }
}
