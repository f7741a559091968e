package io.entrenar.sink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every query of the SQL library against {@link AnalysisFixture}, with the answers worked out by
 * hand. Subclasses run it on chDB in-process and through clickhouse-jdbc over HTTP.
 */
abstract class AnalysisQueriesContract {

    abstract Engine engine();

    abstract String db();

    private QueryResult run(AnalysisQuery q, Map<String, String> params) {
        return q.run(engine(), db(), params);
    }

    private static List<String> column(QueryResult r, String name) {
        return r.rows().stream().map(row -> row.get(r.column(name))).toList();
    }

    @Test
    void sweepsWithTheirBestTrialAndTheParametersThatMattered() {
        QueryResult sweeps = run(AnalysisQuery.SWEEPS, Map.of("metric", "accuracy"));
        assertEquals(List.of("sw1"), column(sweeps, "sweep_id"));
        assertEquals(List.of("5", "4", "0"), List.of(sweeps.get(0, "trials"), sweeps.get(0, "completed"), sweeps.get(0, "failed")));
        assertEquals("sw1-t2", sweeps.get(0, "best_run_id"));
        assertEquals(0.92, sweeps.getDouble(0, "best_value"), 1e-12);
        QueryResult lowest = run(AnalysisQuery.SWEEPS, Map.of("metric", "accuracy", "lower_is_better", "1"));
        assertEquals("sw1-t3", lowest.get(0, "best_run_id"));
        assertEquals(0, run(AnalysisQuery.SWEEPS, Map.of("experiment", "other")).size());
        assertEquals("", run(AnalysisQuery.SWEEPS, Map.of("metric", "no_such_metric")).get(0, "best_run_id"),
                "no trial has the metric: no best");

        QueryResult effects = run(AnalysisQuery.SWEEP_PARAMETER_EFFECTS, Map.of("sweep_id", "sw1", "metric", "accuracy"));
        assertEquals(List.of("optimizer.lr", "optimizer.lr", "model.hidden", "model.hidden"), column(effects, "param"),
                "varying parameters only (not seed), the larger effect first");
        assertEquals(List.of("0.1", "0.01", "[64]", "[32]"), column(effects, "value"));
        assertEquals(0.91, effects.getDouble(0, "mean"), 1e-9);
        assertEquals(0.09, effects.getDouble(0, "effect"), 1e-9);
        assertEquals(0.03, effects.getDouble(2, "effect"), 1e-9);
        assertEquals("2", effects.get(0, "trials"));
    }

    @Test
    void failurePareto() {
        QueryResult r = run(AnalysisQuery.FAILURE_PARETO, Map.of());
        assertEquals(List.of("E_OOM", "E_DATA", "E_NAN"), column(r, "error_code"));
        assertEquals(List.of("RESOURCE", "DATA", "MODEL"), column(r, "category"));
        assertEquals(List.of("3", "1", "1"), column(r, "occurrences"));
        assertEquals(List.of("60", "20", "20"), column(r, "pct"));
        assertEquals(List.of("60", "80", "100"), column(r, "cumulative_pct"));
        assertEquals("fix E_OOM", r.get(0, "remediation"));
        assertEquals(0, run(AnalysisQuery.FAILURE_PARETO, Map.of("experiment_id", "other")).size());
    }

    @Test
    void qualityCorrelation() {
        QueryResult r = run(AnalysisQuery.QUALITY_CORRELATION, Map.of());
        assertEquals(List.of("r1", "r2", "r3"), column(r, "run_id"));
        assertEquals(List.of("0.95", "0.93", "0.6"), column(r, "value"));
        assertEquals(List.of("false", "true", "false"), column(r, "red_flag"));
        double corr = r.getDouble(0, "metric_mutation_corr");
        assertTrue(corr > 0 && corr < 1, "r = " + corr);
    }

    @Test
    void paretoFrontierAndBudgets() {
        QueryResult r = run(AnalysisQuery.PARETO_FRONTIER, Map.of("benchmark", "digits-cls"));
        assertEquals(List.of("r2", "r1", "r3"), column(r, "run_id"));
        assertEquals(List.of("true", "true", "false"), column(r, "pareto_optimal"));
        assertEquals("['r2']", r.get(2, "dominated_by"));

        assertEquals("r2", run(AnalysisQuery.BEST_FOR_BUDGET, Map.of("benchmark", "digits-cls", "budget_usd", "5")).get(0, "run_id"));
        QueryResult cheap = run(AnalysisQuery.BEST_FOR_BUDGET, Map.of("benchmark", "digits-cls", "budget_usd", "1"));
        assertEquals("r1", cheap.get(0, "run_id"));
        assertEquals(0.98, cheap.getDouble(0, "budget_left_usd"), 1e-9);
        assertEquals(0, run(AnalysisQuery.BEST_FOR_BUDGET, Map.of("benchmark", "digits-cls", "budget_usd", "0.01")).size());
        assertEquals("r2", run(AnalysisQuery.CHEAPEST_FOR_QUALITY,
                Map.of("benchmark", "digits-cls", "quality_target", "0.9")).get(0, "run_id"));
    }

    @Test
    void anUnknownCostStaysNullAndRanksAsTheHighestCostAsInTheProcessor() {
        QueryResult r = run(AnalysisQuery.PARETO_FRONTIER, Map.of("benchmark", "costs-unknown"));
        assertEquals(List.of("u3", "u2", "u1"), column(r, "run_id"));
        assertEquals(java.util.Arrays.asList(null, "1", null), column(r, "cost_usd"), "unknown is NULL, never $0");
        assertEquals(List.of("true", "true", "false"), column(r, "pareto_optimal"),
                "u2's known $1 is not beaten by an unknown cost; u3 beats u1 on quality alone");
        assertEquals("['u3']", r.get(2, "dominated_by"));
        assertEquals(java.util.Arrays.asList(null, "0.8", null), column(r, "efficiency"));
        assertEquals("u2", run(AnalysisQuery.BEST_FOR_BUDGET, Map.of("benchmark", "costs-unknown", "budget_usd", "5")).get(0, "run_id"),
                "an unknown cost cannot be shown to fit a budget");
        QueryResult cheapest = run(AnalysisQuery.CHEAPEST_FOR_QUALITY, Map.of("benchmark", "costs-unknown", "quality_target", "0.85"));
        assertEquals("u3", cheapest.get(0, "run_id"));
        assertEquals(null, cheapest.get(0, "cost_usd"));
    }

    @Test
    void runComparison() {
        QueryResult r = run(AnalysisQuery.RUN_COMPARISON, Map.of("run_a", "r1", "run_b", "r2"));
        assertEquals(List.of("accuracy", "loss"), column(r, "name"));
        assertEquals(0.95, r.getDouble(0, "a_last"));
        assertEquals(0.93, r.getDouble(0, "b_last"));
        assertEquals(-0.02, r.getDouble(0, "delta"), 1e-9);
        assertEquals("999", r.get(1, "a_last_step"));
        assertTrue(Double.isNaN(r.getDouble(1, "b_last")));
    }

    @Test
    void metricHistoryIsDownsampled() {
        QueryResult r = run(AnalysisQuery.METRIC_HISTORY, Map.of("run_id", "r1", "metric", "loss", "points", "10"));
        assertEquals(10, r.size());
        assertEquals("0", r.get(0, "bucket_start"));
        assertEquals("100", r.get(0, "samples"), "duplicates are read once");
        assertEquals(1.0 - 49.5 / 1000, r.getDouble(0, "mean"), 1e-9);
        assertEquals("900", r.get(9, "bucket_start"));
        assertEquals(0.001, r.getDouble(9, "last"), 1e-9);

        QueryResult nan = run(AnalysisQuery.METRIC_HISTORY, Map.of("run_id", "r2", "metric", "loss"));
        assertEquals("1", nan.get(nan.size() - 1, "non_finite"));
    }

    @Test
    void lineageBothWays() {
        QueryResult up = run(AnalysisQuery.LINEAGE_ANCESTORS, Map.of("run_id", "r4"));
        assertEquals(List.of("r1", "r3", "r2"), column(up, "run_id"));
        assertEquals(List.of("1", "1", "2"), column(up, "depth"));
        assertEquals("['FINE_TUNED_FROM','TEACHER']", up.get(0, "roles"));

        QueryResult down = run(AnalysisQuery.LINEAGE_DESCENDANTS, Map.of("run_id", "r1"));
        assertEquals(List.of("r2", "r4", "r3"), column(down, "run_id"));
        assertEquals(List.of("1", "1", "2"), column(down, "depth"));
        assertEquals(0, run(AnalysisQuery.LINEAGE_DESCENDANTS, Map.of("run_id", "r4")).size());
    }

    @Test
    void etaAccuracy() {
        QueryResult r = run(AnalysisQuery.ETA_ACCURACY, Map.of());
        assertEquals(List.of("e2", "r1"), column(r, "run_id"), "best first");
        assertEquals("3", r.get(1, "estimates"));
        assertEquals(100.0, r.getDouble(1, "actual_secs"));
        assertEquals(10.0, r.getDouble(1, "mean_abs_error_pct"), 1e-9);
        assertEquals(15.0, r.getDouble(1, "early_mean_abs_error_pct"), 1e-9);
        // Estimates that state only what remains: elapsed + remaining; the closing record is no estimate.
        assertEquals("2", r.get(0, "estimates"));
        assertEquals(110.0, r.getDouble(0, "final_predicted_secs"), 1e-9);
        assertEquals(5.5, r.getDouble(0, "mean_abs_error_pct"), 1e-9);
        assertEquals(1.0, r.getDouble(0, "early_mean_abs_error_pct"), 1e-9);
    }

    @Test
    void ioPerStepAgainstLoss() {
        QueryResult r = run(AnalysisQuery.IO_VS_LOSS, Map.of("run_id", "r1"));
        assertEquals(List.of("0", "100", "200"), column(r, "first_step"));
        assertEquals(List.of("3000", "2000", "1000"), column(r, "io_micros"));
        assertEquals(List.of("100", "100", "100"), column(r, "metric_steps"));
        assertEquals(30.0, r.getDouble(0, "io_micros_per_step"));
        assertEquals(1.0, r.getDouble(0, "io_metric_corr"), 1e-9);

        // A training run whose IO sits on its JVM's process record: the same answer, met by time.
        QueryResult joined = run(AnalysisQuery.IO_VS_LOSS, Map.of("run_id", "j1"));
        assertEquals(List.of("0", "100", "200"), column(joined, "first_step"));
        assertEquals(List.of("99", "199", "299"), column(joined, "last_step"));
        assertEquals(List.of("3000", "2000", "1000"), column(joined, "io_micros"));
        assertEquals(1.0, joined.getDouble(0, "io_metric_corr"), 1e-9);
        assertEquals(0, run(AnalysisQuery.IO_VS_LOSS, Map.of("run_id", "h1")).size(), "the process record has no loss");
    }

    @Test
    void aTrainingRunsProcessIsItsJvmRecordsResourcesOverTheRunsLifetime() {
        QueryResult p = run(AnalysisQuery.RUN_PROCESS, Map.of("run_id", "j1"));
        assertEquals(5, p.rows().stream().mapToLong(r -> Long.parseLong(r.get(p.column("samples")))).sum(),
                "the five samples within j1's life, not the one after it: " + p.rows());
        assertEquals("h1", p.get(0, "process_run_id"));
        assertEquals(100.0, p.getDouble(0, "heap_used_mb"));
        assertEquals(50.0, p.getDouble(0, "cpu_pct"));
        QueryResult two = run(AnalysisQuery.RUN_PROCESS, Map.of("run_id", "j1", "points", "2"));
        assertTrue(two.size() <= 2, "bucketed to at most 2: " + two.rows());
        assertEquals(0, run(AnalysisQuery.RUN_PROCESS, Map.of("run_id", "r5")).size(), "a run without samples has no process data");
    }

    @Test
    void parametersAreCheckedAndBound() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> run(AnalysisQuery.LINEAGE_ANCESTORS, Map.of()));
        assertEquals("lineage_ancestors needs parameter run_id (String)", missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> run(AnalysisQuery.FAILURE_PARETO, Map.of("run", "x")));
        assertEquals(0, run(AnalysisQuery.LINEAGE_ANCESTORS, Map.of("run_id", "r4'; DROP TABLE runs; --\n\nSELECT 1")).size());
    }
}
