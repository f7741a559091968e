package io.entrenar.sink.sql;

import io.entrenar.events.FailureCategory;
import io.entrenar.events.Lineage;
import io.entrenar.events.LineageParent;
import io.entrenar.events.LineageRole;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunStatus;
import io.entrenar.sink.Events;
import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.schema.Migrations;
import io.entrenar.sink.write.Batch;
import io.entrenar.sink.write.EventRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small, fully known history for the analysis queries: six runs (two completed, four failed),
 * their failures, code quality, a leaderboard, lineage, ETAs and IO. Loaded twice, as a sink
 * re-delivering everything would, so every query must read through the duplicates.
 */
final class AnalysisFixture {

    private AnalysisFixture() {
    }

    static void load(Engine engine, String db) throws IOException {
        engine.execute("DROP DATABASE IF EXISTS " + db);
        Migrations.apply(engine, db);
        List<Object> events = events();
        Path spool = Files.createTempDirectory("analysis-fixture");
        for (int copy = 0; copy < 2; copy++) {
            Batch batch = new Batch();
            for (Object e : events) {
                EventRows.append(e, batch);
            }
            batch.insert(engine, db, spool);
        }
        Files.deleteIfExists(spool);
    }

    static List<Object> events() {
        List<Object> ev = new ArrayList<>();
        ev.add(started("r1", List.of(), 0.9, "A"));
        ev.add(started("r2", List.of(parent("r1", LineageRole.FINE_TUNED_FROM)), 0.5, "C"));
        ev.add(started("r3", List.of(parent("r2", LineageRole.FINE_TUNED_FROM)), 0.7, "B"));
        ev.add(started("r4", List.of(parent("r3", LineageRole.INITIALIZATION), parent("r1", LineageRole.TEACHER)), null, null));
        ev.add(started("r5", List.of(), null, null));
        ev.add(started("r6", List.of(), null, null));
        ev.add(Events.finished("r1", 100, RunStatus.COMPLETED, null, 0.95, 0.02));
        ev.add(Events.finished("r2", 120, RunStatus.COMPLETED, null, 0.93, 1.5));
        ev.add(Events.finished("r3", 30, RunStatus.FAILED, "E_OOM", 0.6, 4.2));
        ev.add(Events.finished("r4", 30, RunStatus.FAILED, "E_OOM", 0.1, null));
        ev.add(Events.finished("r5", 30, RunStatus.FAILED, "E_NAN", 0.1, null));
        ev.add(Events.finished("r6", 30, RunStatus.FAILED, "E_OOM", 0.1, null));
        ev.add(Events.failure("r1", "E_WARN", FailureCategory.CONFIG)); // a completed run: not in the Pareto
        ev.add(Events.failure("r3", "E_OOM", FailureCategory.RESOURCE));
        ev.add(Events.failure("r4", "E_OOM", FailureCategory.RESOURCE));
        ev.add(Events.failure("r5", "E_NAN", FailureCategory.MODEL));
        ev.add(Events.failure("r6", "E_OOM", FailureCategory.RESOURCE));
        ev.add(Events.failure("r6", "E_DATA", FailureCategory.DATA));
        ev.add(Events.metricPoints("r1", "accuracy", new long[] {1, 2, 3}, new double[] {0.5, 0.9, 0.95}));
        ev.add(Events.metricPoints("r2", "accuracy", new long[] {1, 2}, new double[] {0.6, 0.93}));
        ev.add(Events.metricPoints("r3", "accuracy", new long[] {1}, new double[] {0.6}));
        // r1's loss: 1000 steps, 1.0 - step/1000; r2's: 500 steps at 2.0 then NaN at 500.
        long[] steps = new long[1000];
        double[] loss = new double[1000];
        for (int i = 0; i < 1000; i++) {
            steps[i] = i;
            loss[i] = 1.0 - i / 1000.0;
        }
        ev.add(Events.metricPoints("r1", "loss", steps, loss));
        ev.add(Events.metricPoints("r2", "loss", new long[] {0, 500}, new double[] {2.0, Double.NaN}));
        ev.add(Events.leaderboard("r1", 0.891, 0.02, true));
        ev.add(Events.leaderboard("r2", 0.923, 1.50, true));
        ev.add(Events.leaderboard("r3", 0.918, 4.20, false));
        ev.add(Events.eta("r1", 10, 80, null));
        ev.add(Events.eta("r1", 50, 110, null));
        ev.add(Events.eta("r1", 100, 100, 100.0));
        // IO grows with the loss over r1's three intervals: 0-99, 100-199, 200-299 (loss falls, IO falls).
        ev.add(Events.syscalls("r1", 0, 99, 3000, 3000));
        ev.add(Events.syscalls("r1", 100, 199, 2000, 2000));
        ev.add(Events.syscalls("r1", 200, 299, 1000, 1000));
        // Training run j1 in a JVM whose agent recorded the IO on its process record h1 (no steps
        // there): the same three intervals as r1's, met by time.
        ev.add(Events.started("h1", 1, Map.of(), Map.of("entrenar.agent", "premain"), List.of(), null, null));
        ev.add(Events.started("j1", 1, Map.of(), Map.of("entrenar.jvm_run_id", "h1"), List.of(), null, null));
        ev.add(Events.metricPoints("j1", "loss", steps, loss));
        for (long first : new long[] {0, 100, 200}) {
            var io = Events.syscalls("h1", first, first + 99, 3000 - first * 10, 3000 - first * 10);
            io.setFirstStep(null);
            io.setLastStep(null);
            ev.add(io);
        }
        for (long sec = 2; sec <= 6; sec++) {
            ev.add(Events.resource("h1", sec));
        }
        ev.add(Events.resource("h1", 100_000)); // long after j1 ended: another run's time in the same JVM
        ev.add(Events.finished("j1", 300, RunStatus.COMPLETED, null, 0.9, null));
        // Run e2 (started at second 1, ran 100 s): its ETA states no confident total, only what remains;
        // at second 11, 89 s remain (predicted 99 s: 1 % off); at second 51, 60 s remain (110 s: 10 % off).
        ev.add(Events.started("e2", 1, Map.of(), Map.of(), List.of(), null, null));
        for (long[] at : new long[][] {{11, 89}, {51, 60}}) {
            var eta = Events.eta("e2", at[0], 0, null);
            eta.setPredictedTotalSecs(null);
            eta.setPredictedRemainingSecs((double) at[1]);
            ev.add(eta);
        }
        var closing = Events.eta("e2", 101, 0, 100.0);
        closing.setPredictedTotalSecs(null);
        closing.setPredictedRemainingSecs(0.0);
        closing.setErrorPct(null);
        ev.add(closing);
        ev.add(Events.finished("e2", 101, RunStatus.COMPLETED, null, 0.9, null));
        // Benchmark "costs-unknown": two of its three runs have no known cost.
        for (Object[] u : new Object[][] {{"u1", 0.90, null}, {"u2", 0.80, 1.0}, {"u3", 0.95, null}}) {
            var entry = Events.leaderboard((String) u[0], (Double) u[1], 0, false);
            entry.setBenchmark("costs-unknown");
            entry.setCostUsd((Double) u[2]);
            ev.add(entry);
        }
        // Sweep sw1, a 2x2 grid over lr and hidden (seed fixed) plus a fifth trial still running:
        // lr moves accuracy by 0.09 on average, hidden by 0.03.
        String[][] grid = {{"0.1", "[32]", "0.90"}, {"0.1", "[64]", "0.92"}, {"0.01", "[32]", "0.80"}, {"0.01", "[64]", "0.84"},
                {"0.001", "[64]", null}};
        for (int t = 0; t < grid.length; t++) {
            String run = "sw1-t" + (t + 1);
            RunEvent e = Events.started(run, 1, Map.of("optimizer.lr", grid[t][0], "model.hidden", grid[t][1], "seed", "7"),
                    Map.of(), List.of(), null, null);
            ((RunStarted) e.getPayload()).setSweepId("sw1");
            ((RunStarted) e.getPayload()).setTrialIndex(t + 1);
            ev.add(e);
            if (grid[t][2] != null) {
                ev.add(Events.finished(run, 10, RunStatus.COMPLETED, null, Double.parseDouble(grid[t][2]), null));
            }
        }
        return ev;
    }

    private static LineageParent parent(String run, LineageRole role) {
        return LineageParent.newBuilder().setRunId(run).setRole(role).build();
    }

    private static RunEvent started(String run, List<LineageParent> parents, Double mutation, String grade) {
        RunEvent e = Events.started(run, 1, Map.of(), Map.of(), List.of(), mutation, mutation == null ? null : 0.8);
        RunStarted s = (RunStarted) e.getPayload();
        if (!parents.isEmpty()) {
            s.setLineage(Lineage.newBuilder().setType("derived").setParents(parents).build());
        }
        if (s.getCodeQuality() != null) {
            s.getCodeQuality().setGrade(grade);
        }
        return e;
    }
}
