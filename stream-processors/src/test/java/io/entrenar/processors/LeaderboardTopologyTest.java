package io.entrenar.processors;

import io.entrenar.stack.SharedStack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.entrenar.events.LeaderboardEntry;
import io.entrenar.events.RunStatus;
import io.entrenar.schemas.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Leaderboards through the repartition by benchmark: each completed run updates every entry of its board. */
@ExtendWith(SharedStack.class)
class LeaderboardTopologyTest {
    private static final long T0 = Harness.START.toEpochMilli() * 1000;

    private static void run(Harness h, String runId, String dataset, double accuracy, Double cost, Double energy, RunStatus status) {
        h.send(Topic.RUNS, runId, Events.started(runId, T0, null, Events.benchmark(dataset + "-cls", dataset), Map.of("model", "model-" + runId)));
        h.send(Topic.RUNS, runId, Events.finished(runId, T0 + 10, status, 10, 100, Map.of("accuracy", accuracy), cost, energy, 5.0));
    }

    @Test
    void ranksFrontiersAndPicksPerDatasetAndTask() {
        ProcessorsTopology.Settings d = ProcessorsTopology.Settings.defaults();
        try (Harness h = new Harness(new ProcessorsTopology.Settings(d.stats(), d.andon(), d.andonCheckInterval(), d.eta(),
                new LeaderboardSettings(10.0, 0.85, 100)))) {
            run(h, "cheap", "digits", 0.80, 1.0, 0.1, RunStatus.COMPLETED);
            run(h, "mid", "digits", 0.90, 5.0, 0.5, RunStatus.COMPLETED);
            run(h, "pricey", "digits", 0.85, 9.0, 0.05, RunStatus.COMPLETED);
            run(h, "failed", "digits", 0.99, 0.1, 0.1, RunStatus.FAILED);
            run(h, "other", "iris", 0.70, 1.0, 0.1, RunStatus.COMPLETED);
            List<LeaderboardEntry> entries = h.read(Topic.LEADERBOARD);
            assertEquals(1 + 2 + 3 + 1, entries.size(), "every completed run re-emits its whole board; failed runs do not compete");
            Map<String, LeaderboardEntry> latest = new HashMap<>();
            entries.forEach(e -> latest.put(e.getRunId(), e));
            LeaderboardEntry mid = latest.get("mid");
            assertEquals(1, mid.getRank());
            assertTrue(mid.getParetoOptimal());
            assertTrue(mid.getBestForBudget());
            assertTrue(mid.getCheapestForQuality());
            assertEquals(0.18, mid.getEfficiencyScore(), 1e-12);
            assertEquals("model-mid", mid.getModel());
            assertEquals("digits", mid.getDataset());
            LeaderboardEntry pricey = latest.get("pricey");
            assertEquals(2, pricey.getRank());
            assertFalse(pricey.getParetoOptimal(), "mid is better and cheaper");
            assertEquals(List.of("mid"), pricey.getDominatedBy());
            assertTrue(pricey.getParetoOptimalNd(), "nobody uses less energy");
            assertEquals(3, latest.get("cheap").getRank());
            assertTrue(latest.get("cheap").getParetoOptimal());
            assertFalse(latest.containsKey("failed"));
            assertEquals(1, latest.get("other").getRank());
            assertEquals("iris-cls", latest.get("other").getBenchmark());
        }
    }
}
