package io.entrenar.cli.view;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;

/**
 * What the runs view and the run's lifecycle events say about one run: the header of {@code runs show}
 * and {@code runs watch}. {@code golden}: a promotion (a {@code RunAnnotated} with tag {@code golden=true}) has landed.
 */
public record RunInfo(String runId, String runName, String experiment, String experimentId, String runType, String status,
                      Instant startedAt, Instant finishedAt, Duration duration, Long totalSteps, Long plannedSteps,
                      Double plannedDurationSecs, Double plannedCostUsd, String device, String paradigm, String algorithm,
                      String benchmark, String dataset, String errorCode, Double costUsd, Double energyKwh,
                      String params, String tags, String goldenBaseline, boolean golden) {

    private static final String SQL = """
            SELECT
                r.run_id AS run_id, r.run_name AS run_name, r.experiment_name AS experiment, r.experiment_id AS experiment_id,
                toString(r.run_type) AS run_type, r.status AS status,
                toUnixTimestamp64Micro(r.started_at) AS started_micros,
                if(r.finished_at > toDateTime64(0, 6, 'UTC'), toUnixTimestamp64Micro(r.finished_at), NULL) AS finished_micros,
                r.duration_micros AS duration_micros, r.total_steps AS total_steps, r.planned_total_steps AS planned_steps,
                toString(r.device_type) AS device, toString(r.paradigm) AS paradigm, r.algorithm AS algorithm,
                r.benchmark AS benchmark, r.dataset AS dataset, r.error_code AS error_code, r.cost_usd AS cost_usd,
                r.energy_kwh AS energy_kwh,
                arrayStringConcat(arrayMap((k, v) -> concat(k, '=', v), mapKeys(r.params), mapValues(r.params)), ', ') AS params,
                arrayStringConcat(arrayMap((k, v) -> if(v = '', k, concat(k, '=', v)), mapKeys(r.tags), mapValues(r.tags)), ', ') AS tags,
                (SELECT argMaxIf(planned_duration_secs, (lamport, ts), kind = 'started') FROM %1$s.run_events WHERE run_id = {run:String})
                    AS planned_duration_secs,
                (SELECT argMaxIf(planned_cost_usd, (lamport, ts), kind = 'started') FROM %1$s.run_events WHERE run_id = {run:String})
                    AS planned_cost_usd,
                (SELECT argMaxIf(golden_baseline_run_id, (lamport, ts), kind = 'started') FROM %1$s.run_events WHERE run_id = {run:String})
                    AS golden_baseline,
                (SELECT countIf(kind = 'annotated' AND tags['golden'] = 'true') > 0 FROM %1$s.run_events WHERE run_id = {run:String})
                    AS golden
            FROM %1$s.runs AS r
            WHERE r.run_id = {run:String}
            """;

    /** The run, or empty when no lifecycle event of it has landed. */
    public static Optional<RunInfo> query(Engine engine, String database, String runId) {
        QueryResult q = engine.rows(String.format(SQL, Database.checked(database)), Map.of("run", runId));
        if (q.size() == 0) {
            return Optional.empty();
        }
        Instant started = AlertsTable.instant(q.get(0, "started_micros"));
        if (started != null && started.equals(Instant.EPOCH)) {
            started = null;
        }
        Long durationMicros = Cells.parseLong(q.get(0, "duration_micros"));
        return Optional.of(new RunInfo(runId, q.get(0, "run_name"), q.get(0, "experiment"), q.get(0, "experiment_id"),
                q.get(0, "run_type"), q.get(0, "status"), started, AlertsTable.instant(q.get(0, "finished_micros")),
                durationMicros == null ? null : Duration.ofNanos(durationMicros * 1000), Cells.parseLong(q.get(0, "total_steps")),
                Cells.parseLong(q.get(0, "planned_steps")), Cells.parseDouble(q.get(0, "planned_duration_secs")),
                Cells.parseDouble(q.get(0, "planned_cost_usd")), q.get(0, "device"), q.get(0, "paradigm"), q.get(0, "algorithm"),
                q.get(0, "benchmark"), q.get(0, "dataset"), q.get(0, "error_code"), Cells.parseDouble(q.get(0, "cost_usd")),
                Cells.parseDouble(q.get(0, "energy_kwh")), q.get(0, "params"), q.get(0, "tags"), q.get(0, "golden_baseline"),
                "1".equals(q.get(0, "golden")) || "true".equals(q.get(0, "golden"))));
    }

    /** The newest run of an experiment (by name or id), for {@code runs watch --experiment NAME --latest}. */
    public static Optional<String> latest(Engine engine, String database, String experiment) {
        QueryResult q = engine.rows("SELECT run_id FROM " + Database.checked(database) + ".runs WHERE experiment_name = {e:String} "
                + "OR experiment_id = {e:String} ORDER BY started_at DESC, run_id DESC LIMIT 1", Map.of("e", experiment));
        return q.size() == 0 ? Optional.empty() : Optional.of(q.get(0, "run_id"));
    }

    /** Finished: the recorded duration; live: time since the start. */
    public Duration elapsed(Instant now) {
        if (duration != null) {
            return duration;
        }
        return startedAt == null ? null : Duration.between(startedAt, now);
    }

    public boolean finished() {
        return finishedAt != null || duration != null;
    }
}
