package io.entrenar.processors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto analysis of one leaderboard (spec 24). Quality is maximised (negated first when lower is
 * better); cost, energy and latency are minimised; a missing cost, energy or latency counts as the
 * worst possible (+∞). Quadratic in the board size, which is bounded by the configuration.
 */
final class ParetoFrontier {
    private ParetoFrontier() {
    }

    /** One run on the board; {@code quality} already oriented so that higher is better. */
    record Point(String runId, double quality, double cost, double energy, double latency) {
    }

    /** What the board says about one run. */
    record Standing(String runId, int rank, boolean optimal2d, boolean optimalNd, List<String> dominatedBy,
                    boolean bestForBudget, boolean cheapestForQuality) {
    }

    static boolean dominates2d(Point a, Point b) {
        return a.quality >= b.quality && a.cost <= b.cost && (a.quality > b.quality || a.cost < b.cost);
    }

    static boolean dominatesNd(Point a, Point b) {
        boolean noWorse = a.quality >= b.quality && a.cost <= b.cost && a.energy <= b.energy && a.latency <= b.latency;
        boolean better = a.quality > b.quality || a.cost < b.cost || a.energy < b.energy || a.latency < b.latency;
        return noWorse && better;
    }

    /** Standings in rank order: by quality, then cost, then run id. */
    static List<Standing> analyse(List<Point> points, Double budgetUsd, Double orientedQualityTarget) {
        List<Point> ranked = new ArrayList<>(points);
        ranked.sort(Comparator.comparingDouble(Point::quality).reversed()
                .thenComparingDouble(Point::cost).thenComparing(Point::runId));
        Point bestForBudget = null;
        if (budgetUsd != null) {
            for (Point p : ranked) {
                if (p.cost <= budgetUsd) {
                    bestForBudget = p;
                    break;
                }
            }
        }
        Point cheapest = null;
        if (orientedQualityTarget != null) {
            for (Point p : ranked) {
                if (p.quality >= orientedQualityTarget && Double.isFinite(p.cost)
                        && (cheapest == null || p.cost < cheapest.cost || (p.cost == cheapest.cost && p.quality > cheapest.quality))) {
                    cheapest = p;
                }
            }
        }
        List<Standing> out = new ArrayList<>(ranked.size());
        for (int i = 0; i < ranked.size(); i++) {
            Point p = ranked.get(i);
            List<String> dominatedBy = new ArrayList<>();
            boolean optimalNd = true;
            for (Point q : ranked) {
                if (q != p && dominates2d(q, p)) {
                    dominatedBy.add(q.runId);
                }
                if (q != p && dominatesNd(q, p)) {
                    optimalNd = false;
                }
            }
            out.add(new Standing(p.runId, i + 1, dominatedBy.isEmpty(), optimalNd, List.copyOf(dominatedBy),
                    p == bestForBudget, p == cheapest));
        }
        return out;
    }
}
