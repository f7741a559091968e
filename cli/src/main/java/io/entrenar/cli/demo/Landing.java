package io.entrenar.cli.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.entrenar.alerting.WebhookReceiver;
import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;

/**
 * Waits until what the demo trained has gone all the way through the pipeline: every run ended in
 * ClickHouse, the failures and leaderboard entries landed, and the webhook received the NaN alert.
 * The jobs have exited by then, but the processors and the sink run a few hundred ms behind.
 */
final class Landing {
    private static final String PROGRESS = """
            SELECT
                (SELECT countIf(status IN ('COMPLETED', 'FAILED', 'STOPPED')) FROM %1$s.runs WHERE experiment_name = {experiment:String}) AS ended,
                (SELECT count() FROM %1$s.runs WHERE experiment_name = {experiment:String}) AS runs,
                (SELECT countIf(status NOT IN ('COMPLETED', 'FAILED', 'STOPPED')) FROM %1$s.runs WHERE experiment_name = {agent:String}) AS open_jvm_runs,
                (SELECT uniqExact(error_code) FROM %1$s.failures FINAL WHERE error_code IN ({nan:String}, {died:String})) AS fault_codes,
                (SELECT count() FROM %1$s.leaderboard FINAL WHERE run_id IN
                    (SELECT run_id FROM %1$s.runs WHERE experiment_name = {experiment:String})) AS ranked
            """;

    private final Engine engine;
    private final String database;
    private final String experiment;
    private final String agentExperiment;

    Landing(Engine engine, String database, String experiment, String agentExperiment) {
        this.engine = engine;
        this.database = database;
        this.experiment = experiment;
        this.agentExperiment = agentExperiment;
    }

    /** Polls until everything has landed or {@code timeout} passes; returns what is still missing (empty: all landed). */
    List<String> await(DemoPlan plan, WebhookReceiver receiver, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> missing;
        do {
            missing = missing(plan, receiver);
            if (missing.isEmpty()) {
                return missing;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return missing;
    }

    private List<String> missing(DemoPlan plan, WebhookReceiver receiver) {
        QueryResult q = engine.rows(PROGRESS.formatted(database), Map.of("experiment", experiment, "agent", agentExperiment,
                "nan", DemoPlan.NAN_ERROR_CODE, "died", DemoPlan.DIED_ERROR_CODE));
        List<String> missing = new ArrayList<>();
        long runs = q.getLong(0, "runs");
        long ended = q.getLong(0, "ended");
        if (runs < plan.trainingRuns() || ended < runs) {
            missing.add(ended + " of " + plan.trainingRuns() + " training runs ended in ClickHouse");
        }
        if (q.getLong(0, "open_jvm_runs") > 0) {
            missing.add(q.getLong(0, "open_jvm_runs") + " agent runs still open");
        }
        long faults = plan.jobs().stream().filter(DemoJob::injectsFailure).map(DemoJob::expectedErrorCode).distinct().count();
        if (q.getLong(0, "fault_codes") < faults) {
            missing.add("the failures of both injected faults");
        }
        if (q.getLong(0, "ranked") < plan.completedRuns()) {
            missing.add(q.getLong(0, "ranked") + " of " + plan.completedRuns() + " completed runs on the leaderboard");
        }
        boolean nanAlert = receiver.deliveries().stream().anyMatch(d -> "FIRING".equals(d.body().path("state").asText())
                && "non_finite".equals(d.body().path("rule").asText()));
        if (!nanAlert) {
            missing.add("the non_finite alert at the webhook");
        }
        return missing;
    }
}
