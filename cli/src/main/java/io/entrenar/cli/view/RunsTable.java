package io.entrenar.cli.view;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;

/**
 * The runs table of spec 21.3 ({@code entrenar runs list}): newest runs first, a status mark, the
 * accuracy and loss the run reported last, and how long it ran (or has been running).
 */
public final class RunsTable {
    /** Names are free text (the agent names a run after its command line): the table cuts them here. */
    static final int NAME_WIDTH = 40;
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    // Steps: the finish's count, except 0, which is what a dead JVM's supervisor records (it cannot
    // know): the last logged step stands in. Accuracy and loss: the run's final summary when it has one (accuracy, else the test split's, which
    // the leaderboard ranks by, else validation), else the last logged point.
    // The last points are read only for the runs listed (run_id leads metric_points' key).
    private static final String SQL = """
            WITH r AS (
                SELECT run_id, run_name, experiment_name, status, started_at, finished_at, duration_micros, total_steps,
                       planned_total_steps, summary
                FROM %1$s.runs
                WHERE ({experiment:String} = '' OR experiment_name = {experiment:String} OR experiment_id = {experiment:String})
                  AND ({status:String} = '' OR status = {status:String})%2$s
                  AND run_id NOT IN (SELECT process_run_id FROM %1$s.process_records)
                ORDER BY started_at DESC, run_id
                LIMIT {limit:UInt32}
            ),
            m AS (
                SELECT run_id, name, argMax(value, step) AS v, max(step) AS last_step
                FROM %1$s.metric_points
                WHERE run_id IN (SELECT run_id FROM r)
                GROUP BY run_id, name
            )
            SELECT
                r.run_id AS run_id,
                any(r.run_name) AS run_name,
                any(r.experiment_name) AS experiment,
                any(r.status) AS status,
                toUnixTimestamp64Micro(any(r.started_at)) AS started_micros,
                any(r.duration_micros) AS duration_micros,
                coalesce(nullIf(any(r.total_steps), 0), maxOrNull(m.last_step)) AS steps,
                any(r.planned_total_steps) AS planned_steps,
                coalesce(if(mapContains(any(r.summary), 'accuracy'), any(r.summary)['accuracy'], NULL),
                         if(mapContains(any(r.summary), 'test_accuracy'), any(r.summary)['test_accuracy'], NULL),
                         if(mapContains(any(r.summary), 'val_accuracy'), any(r.summary)['val_accuracy'], NULL),
                         anyIf(toNullable(m.v), m.name = 'accuracy'), anyIf(toNullable(m.v), m.name = 'val_accuracy')) AS accuracy,
                coalesce(if(mapContains(any(r.summary), 'loss'), any(r.summary)['loss'], NULL),
                         if(mapContains(any(r.summary), 'test_loss'), any(r.summary)['test_loss'], NULL),
                         if(mapContains(any(r.summary), 'val_loss'), any(r.summary)['val_loss'], NULL),
                         anyIf(toNullable(m.v), m.name = 'loss'), anyIf(toNullable(m.v), m.name = 'val_loss')) AS loss
            FROM r
            LEFT JOIN m ON m.run_id = r.run_id
            GROUP BY r.run_id
            ORDER BY any(r.started_at) DESC, run_id
            """;

    // A JVM's process record that hosts training runs is not a run of its own (V003__process_records.sql).
    // Without a status filter the newest runs are known from their start events alone: naming them
    // first lets the runs view fold only those runs (its GROUP BY key, run_id, leads run_events' key).
    private static final String NEWEST = """

                  AND run_id IN (
                      SELECT run_id FROM %1$s.run_events
                      WHERE kind = 'started'
                        AND ({experiment:String} = '' OR experiment_name = {experiment:String} OR experiment_id = {experiment:String})
                        AND run_id NOT IN (SELECT process_run_id FROM %1$s.process_records)
                      GROUP BY run_id
                      ORDER BY min(ts) DESC, run_id
                      LIMIT {limit:UInt32})""";

    private RunsTable() {
    }

    /** One run as the table shows it; {@code duration} is the elapsed time so far for live runs. */
    public record RunRow(String runId, String runName, String experiment, String status, Instant startedAt,
                         Duration duration, Long steps, Long plannedSteps, Double accuracy, Double loss) {
    }

    /** Which runs: empty strings match everything; {@code limit} newest first. */
    public record Filter(String experiment, String status, int limit) {
        public Filter {
            experiment = experiment == null ? "" : experiment;
            status = status == null ? "" : status.toUpperCase(java.util.Locale.ROOT);
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1, got " + limit);
            }
        }

        public static Filter newest(int limit) {
            return new Filter("", "", limit);
        }
    }

    public static List<RunRow> query(Engine engine, String database, Filter filter) {
        return query(engine, database, filter, Instant.now());
    }

    static List<RunRow> query(Engine engine, String database, Filter filter, Instant now) {
        String db = Database.checked(database);
        String sql = String.format(SQL, db, filter.status().isEmpty() ? String.format(NEWEST, db).stripTrailing() : "");
        QueryResult q = engine.rows(sql, Map.of("experiment", filter.experiment(),
                "status", filter.status(), "limit", Integer.toString(filter.limit())));
        List<RunRow> out = new ArrayList<>(q.size());
        for (int i = 0; i < q.size(); i++) {
            Long startedMicros = Cells.parseLong(q.get(i, "started_micros"));
            Instant started = startedMicros == null || startedMicros == 0 ? null
                    : Instant.EPOCH.plus(Duration.ofNanos(startedMicros * 1000));
            Long durationMicros = Cells.parseLong(q.get(i, "duration_micros"));
            Duration duration = durationMicros != null ? Duration.ofNanos(durationMicros * 1000)
                    : started == null ? null : Duration.between(started, now);
            out.add(new RunRow(q.get(i, "run_id"), q.get(i, "run_name"), q.get(i, "experiment"), q.get(i, "status"), started,
                    duration, Cells.parseLong(q.get(i, "steps")), Cells.parseLong(q.get(i, "planned_steps")),
                    Cells.parseDouble(q.get(i, "accuracy")), Cells.parseDouble(q.get(i, "loss"))));
        }
        return out;
    }

    /** The newest {@code limit} runs of the database as a table: the entry point for {@code entrenar demo}. */
    public static String render(Engine engine, String database, int limit, Glyphs g) {
        return render(query(engine, database, Filter.newest(limit)), g);
    }

    public static String render(List<RunRow> runs, Glyphs g) {
        TextTable t = TextTable.of("Run ID", "Name", "Experiment", "Status", "Accuracy", "Loss", "Steps", "Duration")
                .alignRight("Accuracy", "Loss", "Steps", "Duration");
        for (RunRow r : runs) {
            t.row(r.runId(), r.runName() == null ? null : Cells.clip(r.runName(), NAME_WIDTH, g), r.experiment(), statusMark(r.status(), g), Cells.number(r.accuracy(), 4),
                    Cells.number(r.loss(), 4), r.steps() == null ? null : Long.toString(r.steps()), Cells.duration(r.duration()));
        }
        return t.render(g);
    }

    /** The runs as a JSON array, every field named as in the table's SQL. */
    public static String json(List<RunRow> runs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RunRow r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run_id", r.runId());
            m.put("run_name", r.runName());
            m.put("experiment", r.experiment());
            m.put("status", r.status());
            m.put("started_at", r.startedAt() == null ? null : r.startedAt().toString());
            m.put("duration_ms", r.duration() == null ? null : r.duration().toMillis());
            m.put("steps", r.steps());
            m.put("planned_steps", r.plannedSteps());
            m.put("accuracy", finite(r.accuracy()));
            m.put("loss", finite(r.loss()));
            out.add(m);
        }
        try {
            return JSON.writeValueAsString(out) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ✓ OK}, {@code ✗ FAIL}, {@code ▶ RUNNING}, ... as in spec 21.3. */
    public static String statusMark(String status, Glyphs g) {
        if (status == null) {
            return "? UNKNOWN";
        }
        return switch (status) {
            case "COMPLETED" -> g.ok() + " OK";
            case "FAILED" -> g.fail() + " FAIL";
            case "UNSAFE" -> g.fail() + " UNSAFE";
            case "RUNNING" -> g.running() + " RUNNING";
            default -> (g.unicode() ? "•" : "o") + " " + status;
        };
    }

    /** JSON has no NaN: like the processors' query server, non-finite values travel as their names. */
    static Object finite(Double v) {
        return v == null || Double.isFinite(v) ? v : v.toString();
    }
}
