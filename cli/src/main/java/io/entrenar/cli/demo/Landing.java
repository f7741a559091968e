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
 * ClickHouse, the failures and leaderboard entries landed, the paced run's ETA closed, and the webhook
 * received the NaN alert.
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
                    (SELECT run_id FROM %1$s.runs WHERE experiment_name = {experiment:String})) AS ranked,
                (SELECT count() FROM %1$s.eta FINAL WHERE finished AND run_id IN
                    (SELECT run_id FROM %1$s.runs WHERE experiment_name = {experiment:String} AND run_name = {paced:String})) AS paced_eta
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
                "nan", DemoPlan.NAN_ERROR_CODE, "died", DemoPlan.DIED_ERROR_CODE, "paced", DemoPlan.PACED_RUN));
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
        if (plan.jobs().stream().anyMatch(j -> j.name().equals(DemoPlan.PACED_RUN)) && q.getLong(0, "paced_eta") == 0) {
            // the report's ETA-accuracy section compares the paced run's estimates with its actual duration
            missing.add("the Kalman ETA of " + DemoPlan.PACED_RUN);
        }
        boolean nanAlert = receiver.deliveries().stream().anyMatch(d -> "FIRING".equals(d.body().path("state").asText())
                && "non_finite".equals(d.body().path("rule").asText()));
        if (!nanAlert) {
            missing.add("the non_finite alert at the webhook");
        }
        return missing;
    }
}
