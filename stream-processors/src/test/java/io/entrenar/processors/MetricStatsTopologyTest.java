package io.entrenar.processors;

import io.entrenar.stack.SharedStack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import io.entrenar.events.MetricStats;
import io.entrenar.events.WindowKind;
import io.entrenar.schemas.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rolling statistics against independent references: two-pass mean/variance, direct least squares, sequential EWMA. */
@ExtendWith(SharedStack.class)
class MetricStatsTopologyTest {
    private static final long T0 = Harness.START.toEpochMilli() * 1000;
    private static final double ALPHA = 0.2;
    private static final StatsSettings STATS = new StatsSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10),
            Duration.ofSeconds(1), ALPHA, 50, Duration.ofSeconds(1), Duration.ZERO, Duration.ofMinutes(10));

    record Point(String metric, long step, double value, long ts) {
    }

    private static ProcessorsTopology.Settings settings() {
        ProcessorsTopology.Settings d = ProcessorsTopology.Settings.defaults();
        return new ProcessorsTopology.Settings(STATS, d.andon(), d.andonCheckInterval(), d.eta(), d.leaderboard());
    }

    @Test
    void runAndWindowStatisticsMatchTwoPassReferences() {
        Random random = new Random(42);
        String[] metrics = {"loss", "accuracy", "grad_norm"};
        List<Point> points = new ArrayList<>();
        long ts = T0 + 123;
        for (long step = 0; step < 1500; step++) {
            ts += 20_000 + random.nextInt(10_000);
            for (String m : metrics) {
                double v = switch (m) {
                    case "loss" -> 3.0 * Math.exp(-step / 500.0) + random.nextGaussian() * 0.05;
                    case "accuracy" -> 0.5 + step / 4000.0 + random.nextGaussian() * 0.01;
                    default -> 1e6 + random.nextGaussian() * 1e3;
                };
                if (m.equals("grad_norm") && random.nextInt(100) == 0) {
                    v = random.nextBoolean() ? Double.NaN : Double.POSITIVE_INFINITY;
                }
                points.add(new Point(m, step, v, ts));
            }
        }
        try (Harness h = new Harness(settings())) {
            int i = 0;
            while (i < points.size()) {
                int size = 1 + random.nextInt(400);
                Events.Batch batch = new Events.Batch("run-1");
                for (int j = i; j < Math.min(points.size(), i + size); j++) {
                    Point p = points.get(j);
                    batch.point(p.metric, p.step, p.value, p.ts);
                }
                h.send(Topic.METRICS, "run-1", batch.build());
                i += size;
            }
            List<MetricStats> out = h.read(Topic.METRIC_STATS);
            Map<String, MetricStats> lastRun = new HashMap<>();
            for (MetricStats s : out) {
                assertEquals(WindowKind.RUN, s.getWindow(), "windows are emitted only when they close");
                lastRun.put(s.getMetric(), s);
            }
            for (String m : metrics) {
                assertMatches(lastRun.get(m), points.stream().filter(p -> p.metric.equals(m)).toList());
            }

            // Event time moves past every window but the last ones; the wall-clock check emits the closed ones.
            long lastTs = points.getLast().ts;
            h.send(Topic.METRICS, "run-1", new Events.Batch("run-1").point("other", 9999, 1.0, lastTs + 45_000_000L).build());
            h.advanceWallClock(Duration.ofSeconds(2));
            List<MetricStats> closed = h.<MetricStats>read(Topic.METRIC_STATS).stream().filter(s -> s.getWindow() != WindowKind.RUN).toList();
            int tumbling = 0;
            int hopping = 0;
            for (MetricStats s : closed) {
                if (s.getMetric().equals("other")) {
                    continue;
                }
                long start = s.getWindowStartMicros();
                long end = s.getWindowEndMicros();
                assertEquals(s.getWindow() == WindowKind.TUMBLING ? 10_000_000L : 30_000_000L, end - start);
                assertTrue(end <= lastTs + 45_000_000L - 1_000_000L, "only windows past event time minus grace close");
                Predicate<Point> in = p -> p.metric.equals(s.getMetric()) && p.ts >= start && p.ts < end;
                assertMatches(s, points.stream().filter(in).toList());
                if (s.getWindow() == WindowKind.TUMBLING) {
                    tumbling++;
                } else {
                    hopping++;
                }
            }
            long span = lastTs - T0;
            assertTrue(tumbling >= 3 * (span / 10_000_000L), "every tumbling window of every metric closed: " + tumbling);
            assertTrue(hopping >= 3 * (span / 10_000_000L), "every hopping window of every metric closed: " + hopping);

            // Each window is emitted once.
            h.advanceWallClock(Duration.ofSeconds(2));
            assertTrue(h.read(Topic.METRIC_STATS).isEmpty());
        }
    }

    @Test
    void finishingTheRunFlushesItsOpenWindows() {
        try (Harness h = new Harness(settings())) {
            h.send(Topic.METRICS, "run-2", new Events.Batch("run-2").point("loss", 1, 2.0, T0 + 1_000).point("loss", 2, 4.0, T0 + 2_000).build());
            h.read(Topic.METRIC_STATS);
            h.send(Topic.RUNS, "run-2", Events.finished("run-2", T0 + 3_000));
            List<MetricStats> flushed = h.read(Topic.METRIC_STATS);
            assertEquals(1, flushed.stream().filter(s -> s.getWindow() == WindowKind.TUMBLING).count());
            assertEquals(3, flushed.stream().filter(s -> s.getWindow() == WindowKind.HOPPING).count(), "a point lies in size/advance hopping windows");
            flushed.forEach(s -> {
                assertEquals(2, s.getCount());
                assertEquals(3.0, s.getMean(), 1e-12);
                assertEquals(2.0, s.getVariance(), 1e-12);
                assertEquals(2.0, s.getTrendSlope(), 1e-12);
            });
        }
    }

    @Test
    void wholeRunStatsAreThrottledInEventTimeAndFinalAtTheFinish() {
        ProcessorsTopology.Settings d = ProcessorsTopology.Settings.defaults();
        StatsSettings throttled = new StatsSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(1), ALPHA, 50, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(10));
        try (Harness h = new Harness(new ProcessorsTopology.Settings(throttled, d.andon(), d.andonCheckInterval(), d.eta(), d.leaderboard()))) {
            for (int i = 0; i < 10; i++) {
                h.send(Topic.METRICS, "run-4", new Events.Batch("run-4").point("loss", i, i, T0 + i * 300_000L).build());
            }
            List<MetricStats> run = h.<MetricStats>read(Topic.METRIC_STATS).stream().filter(s -> s.getWindow() == WindowKind.RUN).toList();
            assertEquals(List.of(1L, 5L, 9L), run.stream().map(MetricStats::getCount).toList(), "first batch, then once per second of event time");
            h.send(Topic.RUNS, "run-4", Events.finished("run-4", T0 + 4_000_000L));
            List<MetricStats> last = h.<MetricStats>read(Topic.METRIC_STATS).stream().filter(s -> s.getWindow() == WindowKind.RUN).toList();
            assertEquals(1, last.size());
            assertEquals(10, last.getFirst().getCount());
            assertEquals(4.5, last.getFirst().getMean(), 1e-12);
        }
    }

    @Test
    void finishedRunsLeaveTheStoresAfterTheRetention() {
        try (Harness h = new Harness(settings())) {
            h.send(Topic.METRICS, "run-5", new Events.Batch("run-5").point("loss", 1, 2.0, T0 + 1).build());
            h.send(Topic.METRICS, "run-6", new Events.Batch("run-6").point("loss", 1, 2.0, T0 + 1).build());
            h.send(Topic.RUNS, "run-5", Events.finished("run-5", T0 + 2));
            var runs = h.driver.<String, Moments>getKeyValueStore(MetricStatsProcessor.RUN_STORE);
            var history = h.driver.<String, MetricHistory>getKeyValueStore(MetricStatsProcessor.HISTORY_STORE);
            h.advanceWallClock(Duration.ofMinutes(9));
            assertEquals(2.0, runs.get(StoreKeys.of("run-5", "loss")).mean, "still queryable within the retention");
            h.advanceWallClock(Duration.ofMinutes(2));
            assertNull(runs.get(StoreKeys.of("run-5", "loss")));
            assertNull(history.get(StoreKeys.of("run-5", "loss")));
            assertEquals(1, runs.get(StoreKeys.of("run-6", "loss")).count, "live runs stay");
        }
    }

    @Test
    void latePointsForAnEmittedWindowCountOnlyForTheWholeRun() {
        try (Harness h = new Harness(settings())) {
            h.send(Topic.METRICS, "run-7", new Events.Batch("run-7").point("loss", 1, 1.0, T0 + 1).build());
            h.send(Topic.METRICS, "run-7", new Events.Batch("run-7").point("loss", 2, 2.0, T0 + 45_000_000L).build());
            h.advanceWallClock(Duration.ofSeconds(2));
            List<MetricStats> first = h.read(Topic.METRIC_STATS);
            assertEquals(1, first.stream().filter(s -> s.getWindow() == WindowKind.TUMBLING && s.getWindowStartMicros() == T0).count());
            // A point for the window [T0, T0+10 s) arrives after it was emitted.
            h.send(Topic.METRICS, "run-7", new Events.Batch("run-7").point("loss", 3, 3.0, T0 + 2).build());
            h.advanceWallClock(Duration.ofSeconds(2));
            List<MetricStats> later = h.read(Topic.METRIC_STATS);
            assertTrue(later.stream().noneMatch(s -> s.getWindow() != WindowKind.RUN && s.getWindowStartMicros() == T0), later.toString());
            assertEquals(3, later.stream().filter(s -> s.getWindow() == WindowKind.RUN).reduce((a, b) -> b).orElseThrow().getCount());
        }
    }

    @Test
    void aSinglePointHasNoTrendAndZeroVariance() {
        try (Harness h = new Harness(settings())) {
            h.send(Topic.METRICS, "run-3", new Events.Batch("run-3").point("loss", 7, 0.5, T0 + 1).build());
            MetricStats s = h.<MetricStats>read(Topic.METRIC_STATS).getFirst();
            assertEquals(1, s.getCount());
            assertEquals(0.0, s.getVariance());
            assertNull(s.getTrendSlope());
            assertEquals(0.5, s.getEwma());
            assertEquals(7, s.getLastStep());
        }
    }

    private static void assertMatches(MetricStats s, List<Point> points) {
        List<Point> finite = points.stream().filter(p -> Double.isFinite(p.value)).toList();
        int n = finite.size();
        double mean = finite.stream().mapToDouble(Point::value).sum() / n;
        double ss = finite.stream().mapToDouble(p -> (p.value - mean) * (p.value - mean)).sum();
        double variance = n < 2 ? 0 : ss / (n - 1);
        double meanStep = finite.stream().mapToDouble(p -> p.step).sum() / n;
        double sxy = finite.stream().mapToDouble(p -> (p.step - meanStep) * (p.value - mean)).sum();
        double sxx = finite.stream().mapToDouble(p -> (p.step - meanStep) * (p.step - meanStep)).sum();
        double ewma = finite.getFirst().value;
        for (int i = 1; i < n; i++) {
            ewma = ALPHA * finite.get(i).value + (1 - ALPHA) * ewma;
        }
        String what = s.getWindow() + " " + s.getMetric() + " [" + s.getWindowStartMicros() + ", " + s.getWindowEndMicros() + ")";
        double scale = Math.max(1, Math.abs(mean));
        assertEquals(n, s.getCount(), what + " count");
        assertEquals(points.size() - n, s.getNonFiniteCount(), what + " non-finite");
        assertEquals(mean, s.getMean(), 1e-12 * scale, what + " mean");
        assertEquals(variance, s.getVariance(), 1e-9 * Math.max(variance, 1e-12), what + " variance");
        assertEquals(finite.stream().mapToDouble(Point::value).min().orElseThrow(), s.getMin(), 0.0, what + " min");
        assertEquals(finite.stream().mapToDouble(Point::value).max().orElseThrow(), s.getMax(), 0.0, what + " max");
        assertEquals(ewma, s.getEwma(), 1e-9 * scale, what + " ewma");
        assertEquals(sxy / sxx, s.getTrendSlope(), 1e-9 * Math.max(1, Math.abs(sxy / sxx)), what + " slope");
        Point last = points.getLast();
        assertEquals(last.step, s.getLastStep(), what + " last step");
        assertEquals(Double.doubleToLongBits(last.value), Double.doubleToLongBits(s.getLast()), what + " last");
    }
}
