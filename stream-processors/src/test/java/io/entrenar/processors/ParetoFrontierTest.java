package io.entrenar.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** Property test: the frontier, dominance lists and picks against brute force over random boards (ties included). */
class ParetoFrontierTest {
    @RepeatedTest(200)
    void matchesBruteForce(RepetitionInfo info) {
        Random random = new Random(info.getCurrentRepetition());
        int n = 1 + random.nextInt(30);
        List<ParetoFrontier.Point> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // Coarse values so that ties happen; some costs and latencies are missing (+∞).
            points.add(new ParetoFrontier.Point("run-" + i, random.nextInt(10) / 10.0,
                    random.nextInt(8) == 0 ? Double.POSITIVE_INFINITY : random.nextInt(10),
                    random.nextInt(10), random.nextInt(6) == 0 ? Double.POSITIVE_INFINITY : random.nextInt(10)));
        }
        double budget = random.nextInt(10);
        double target = random.nextInt(10) / 10.0;
        List<ParetoFrontier.Standing> standings = ParetoFrontier.analyse(points, budget, target);
        assertEquals(n, standings.size());

        double bestQualityInBudget = points.stream().filter(p -> p.cost() <= budget).mapToDouble(ParetoFrontier.Point::quality).max().orElse(Double.NaN);
        double cheapestForTarget = points.stream().filter(p -> p.quality() >= target && Double.isFinite(p.cost()))
                .mapToDouble(ParetoFrontier.Point::cost).min().orElse(Double.NaN);
        Set<Integer> ranks = new HashSet<>();
        double previousQuality = Double.POSITIVE_INFINITY;
        int bestForBudget = 0;
        int cheapest = 0;
        for (ParetoFrontier.Standing s : standings) {
            ParetoFrontier.Point p = points.stream().filter(q -> q.runId().equals(s.runId())).findFirst().orElseThrow();
            Set<String> dominators2d = new HashSet<>();
            boolean dominatedNd = false;
            for (ParetoFrontier.Point q : points) {
                boolean weakly2d = q.quality() >= p.quality() && q.cost() <= p.cost();
                boolean strictly2d = q.quality() > p.quality() || q.cost() < p.cost();
                if (q != p && weakly2d && strictly2d) {
                    dominators2d.add(q.runId());
                }
                boolean weaklyNd = weakly2d && q.energy() <= p.energy() && q.latency() <= p.latency();
                boolean strictlyNd = strictly2d || q.energy() < p.energy() || q.latency() < p.latency();
                dominatedNd |= q != p && weaklyNd && strictlyNd;
            }
            assertEquals(dominators2d, new HashSet<>(s.dominatedBy()), s.runId());
            assertEquals(dominators2d.isEmpty(), s.optimal2d(), s.runId());
            assertEquals(!dominatedNd, s.optimalNd(), s.runId());
            boolean twin = points.stream().anyMatch(q -> q != p && q.quality() == p.quality() && q.cost() == p.cost());
            if (s.optimal2d() && !twin) {
                assertEquals(true, s.optimalNd(), "a 2-D optimum without a 2-D twin is an N-D optimum");
            }
            ranks.add(s.rank());
            assertEquals(true, p.quality() <= previousQuality, "ranked by quality");
            previousQuality = p.quality();
            if (s.bestForBudget()) {
                bestForBudget++;
                assertEquals(bestQualityInBudget, p.quality());
                assertEquals(true, p.cost() <= budget);
            }
            if (s.cheapestForQuality()) {
                cheapest++;
                assertEquals(cheapestForTarget, p.cost());
            }
        }
        assertEquals(n, ranks.size(), "ranks are 1..n without ties");
        assertEquals(Double.isNaN(bestQualityInBudget) ? 0 : 1, bestForBudget);
        assertEquals(Double.isNaN(cheapestForTarget) ? 0 : 1, cheapest);
    }

    @Test
    void specExample() {
        // Spec 24: sorted by cost, a run is on the frontier when it beats every cheaper run's quality.
        List<ParetoFrontier.Point> points = List.of(
                new ParetoFrontier.Point("cheap", 0.80, 1.0, 1, 1),
                new ParetoFrontier.Point("mid", 0.90, 5.0, 1, 1),
                new ParetoFrontier.Point("pricey-worse", 0.85, 9.0, 1, 1),
                new ParetoFrontier.Point("best", 0.95, 20.0, 1, 1));
        List<ParetoFrontier.Standing> s = ParetoFrontier.analyse(points, 10.0, 0.85);
        assertEquals(List.of("best", "mid", "pricey-worse", "cheap"), s.stream().map(ParetoFrontier.Standing::runId).toList());
        assertEquals(List.of(true, true, false, true), s.stream().map(ParetoFrontier.Standing::optimal2d).toList());
        assertEquals(List.of("mid"), s.get(2).dominatedBy());
        assertEquals("mid", s.stream().filter(ParetoFrontier.Standing::bestForBudget).findFirst().orElseThrow().runId());
        assertEquals("mid", s.stream().filter(ParetoFrontier.Standing::cheapestForQuality).findFirst().orElseThrow().runId());
    }
}
