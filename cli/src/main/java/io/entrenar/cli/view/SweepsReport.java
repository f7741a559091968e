package io.entrenar.cli.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;
import io.entrenar.sink.sql.AnalysisQuery;

/**
 * {@code entrenar sweeps}: every sweep with its best trial, and {@code entrenar sweeps show SWEEP}:
 * its trials ranked by a summary metric, with the parameters they differ in, and which parameters
 * mattered (the SQL library's {@code sweeps} and {@code sweep_parameter_effects}).
 */
public final class SweepsReport {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .propertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE).build();
    private static final com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, String>> STRING_MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    private SweepsReport() {
    }

    /** How trials are ranked: a summary metric and its direction. */
    public record Ranking(String metric, boolean lowerIsBetter) {
    }

    public record SweepRow(String sweepId, String experiment, long trials, long completed, long failed, long live,
                           String bestRunId, String bestRunName, Double bestValue) {
    }

    public record Trial(String runId, String runName, String status, Map<String, String> params, Double value) {
    }

    public record Effect(String param, String value, long trials, double mean, double best, double worst, double effect) {
    }

    public static List<SweepRow> sweeps(Engine engine, String database, String experiment, Ranking ranking) {
        QueryResult q = AnalysisQuery.SWEEPS.run(engine, Database.checked(database), Map.of("experiment",
                experiment == null ? "" : experiment, "metric", ranking.metric(), "lower_is_better", ranking.lowerIsBetter() ? "1" : "0"));
        List<SweepRow> out = new ArrayList<>();
        for (int i = 0; i < q.size(); i++) {
            String best = q.get(i, "best_run_id");
            out.add(new SweepRow(q.get(i, "sweep_id"), q.get(i, "experiment"), q.getLong(i, "trials"), q.getLong(i, "completed"),
                    q.getLong(i, "failed"), q.getLong(i, "live"), best == null || best.isEmpty() ? null : best,
                    best == null || best.isEmpty() ? null : q.get(i, "best_run_name"), Cells.parseDouble(q.get(i, "best_value"))));
        }
        return out;
    }

    /** The sweep's trials, best first (trials without the metric last), with the parameters they differ in. */
    public static List<Trial> trials(Engine engine, String database, String sweepId, Ranking ranking) {
        QueryResult q = engine.rows("""
                SELECT run_id, run_name, status, toJSONString(params) AS params_json,
                       if(mapContains(summary, {metric:String}), summary[{metric:String}], NULL) AS value
                FROM %s.runs WHERE sweep_id = {sweep:String}
                ORDER BY value IS NULL, if({lower:UInt8} = 1, value, -value), started_at, run_id
                LIMIT 10000""".formatted(Database.checked(database)),
                Map.of("sweep", sweepId, "metric", ranking.metric(), "lower", ranking.lowerIsBetter() ? "1" : "0"));
        List<Trial> all = new ArrayList<>();
        for (int i = 0; i < q.size(); i++) {
            Map<String, String> params;
            try {
                params = JSON.readValue(q.get(i, "params_json"), STRING_MAP);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("params of run " + q.get(i, "run_id") + " are not a JSON object: " + e.getMessage(), e);
            }
            all.add(new Trial(q.get(i, "run_id"), q.get(i, "run_name"), q.get(i, "status"), params, Cells.parseDouble(q.get(i, "value"))));
        }
        Set<String> varying = varying(all);
        return all.stream().map(t -> {
            Map<String, String> shown = new LinkedHashMap<>();
            varying.forEach(k -> shown.put(k, t.params().get(k)));
            return new Trial(t.runId(), t.runName(), t.status(), shown, t.value());
        }).toList();
    }

    public static List<Effect> effects(Engine engine, String database, String sweepId, Ranking ranking) {
        QueryResult q = AnalysisQuery.SWEEP_PARAMETER_EFFECTS.run(engine, Database.checked(database),
                Map.of("sweep_id", sweepId, "metric", ranking.metric()));
        List<Effect> out = new ArrayList<>();
        for (int i = 0; i < q.size(); i++) {
            out.add(new Effect(q.get(i, "param"), q.get(i, "value"), q.getLong(i, "trials"), q.getDouble(i, "mean"),
                    q.getDouble(i, "best"), q.getDouble(i, "worst"), q.getDouble(i, "effect")));
        }
        if (ranking.lowerIsBetter()) {
            // best/worst are max/min of the metric: for a loss the best is the smallest
            out = out.stream().map(e -> new Effect(e.param(), e.value(), e.trials(), e.mean(), e.worst(), e.best(), e.effect())).toList();
        }
        return out;
    }

    public static String renderSweeps(List<SweepRow> rows, Ranking ranking, Glyphs g) {
        if (rows.isEmpty()) {
            return "No sweeps yet.\n";
        }
        TextTable t = TextTable.of("Sweep", "Experiment", "Trials", "Completed", "Failed", "Live", "Best trial", "Best " + ranking.metric())
                .alignRight("Trials", "Completed", "Failed", "Live", "Best " + ranking.metric());
        for (SweepRow r : rows) {
            t.row(r.sweepId(), r.experiment(), Cells.count(r.trials()), Cells.count(r.completed()), Cells.count(r.failed()),
                    Cells.count(r.live()), r.bestRunName() == null ? null : r.bestRunName() + " (" + r.bestRunId() + ")",
                    Cells.number(r.bestValue(), 4));
        }
        return t.render(g);
    }

    public static String renderSweep(String sweepId, List<Trial> trials, List<Effect> effects, Ranking ranking, Glyphs g) {
        if (trials.isEmpty()) {
            return "No trials of sweep " + sweepId + ".\n";
        }
        StringBuilder out = new StringBuilder();
        out.append("Sweep ").append(sweepId).append(": ").append(trials.size()).append(" trials, ranked by ")
                .append(ranking.metric()).append(ranking.lowerIsBetter() ? " (lower is better)" : " (higher is better)").append('\n');
        List<String> params = trials.isEmpty() ? List.of() : new ArrayList<>(trials.get(0).params().keySet());
        List<String> headers = new ArrayList<>(List.of("#", "Status", "Trial"));
        headers.addAll(params);
        headers.add(ranking.metric());
        TextTable t = TextTable.of(headers.toArray(String[]::new)).alignRight("#", ranking.metric());
        int rank = 0;
        for (Trial trial : trials) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(++rank), RunsTable.statusMark(trial.status(), g),
                    trial.runName() + " (" + trial.runId() + ")"));
            params.forEach(p -> cells.add(trial.params().get(p)));
            cells.add(Cells.number(trial.value(), 4));
            t.row(cells.toArray(String[]::new));
        }
        out.append(t.render(g));
        out.append("\nParameters that mattered (mean ").append(ranking.metric())
                .append(" per value; effect = max - min of the means):\n");
        if (effects.isEmpty()) {
            out.append("  none yet: no completed trials with ").append(ranking.metric()).append(" differ in a parameter.\n");
            return out.toString();
        }
        TextTable e = TextTable.of("Parameter", "Value", "Trials", "Mean", "Best", "Worst", "Effect")
                .alignRight("Trials", "Mean", "Best", "Worst", "Effect");
        String previous = null;
        for (Effect f : effects) {
            boolean first = !f.param().equals(previous);
            previous = f.param();
            e.row(first ? f.param() : "", f.value(), Cells.count(f.trials()), Cells.number(f.mean(), 4), Cells.number(f.best(), 4),
                    Cells.number(f.worst(), 4), first ? Cells.number(f.effect(), 4) : "");
        }
        out.append(e.render(g));
        return out.toString();
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keys whose values differ between trials: a trainer run records every resolved config value. */
    private static Set<String> varying(List<Trial> trials) {
        Set<String> keys = new TreeSet<>();
        trials.forEach(t -> keys.addAll(t.params().keySet()));
        keys.removeIf(k -> trials.stream().map(t -> String.valueOf(t.params().get(k))).distinct().count() < 2);
        return keys;
    }
}
