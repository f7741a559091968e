package io.entrenar.cli.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.entrenar.cli.view.AlertsTable;
import io.entrenar.cli.view.Glyphs;
import io.entrenar.cli.view.RunInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardTest {
    private static final Instant NOW = Instant.parse("2025-11-30T12:10:00Z");

    private static Snapshot snapshot(Double plannedSecs, List<String> notes) {
        RunInfo run = new RunInfo("2a7c9e10-0000-4000-8000-000000000001", "oracle-run", "oracle-training", "exp-1", "TRAINING", "RUNNING",
                NOW.minusSeconds(600), null, null, null, 100L, plannedSecs, null, "CPU", null, null, null, null, null, null, null,
                "", "", null, true);
        List<Double> loss = new ArrayList<>();
        List<Double> accuracy = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            loss.add(1.0 / (1 + i));
            accuracy.add(0.5 + i / 100.0);
        }
        return new Snapshot(run, true,
                List.of(new Snapshot.MetricView("accuracy", 40, 0.7, 0.1, 0.01, 0.89, 40, 0, accuracy),
                        new Snapshot.MetricView("loss", 40, 0.3, 0.2, -0.02, 0.025, 40, 2, loss)),
                new Snapshot.Progress(40, 100L, 900.0, 0.066),
                new Snapshot.Resources(4120L << 20, 8192L << 20, 0.5, 12L, 34_000L, 20, null),
                List.of(new Snapshot.IoCount("FILE_IO", "READ", 12_345, 1_048_576), new Snapshot.IoCount("FILE_IO", "WRITE", 3_456, 0)),
                List.of(new AlertsTable.Incident("inc-1", "r", "FIRING", "non_finite", "CRITICAL", "loss", 30L, "loss is NaN", "NOTIFY",
                        NOW, null)),
                NOW, notes);
    }

    @Test
    void aFrameShowsEverySectionOfSpec72WithinTheWidth() {
        List<String> lines = Dashboard.render(snapshot(1200.0, List.of()), 80, Glyphs.UNICODE, false, "");
        String frame = String.join("\n", lines);
        assertTrue(lines.stream().allMatch(l -> l.codePointCount(0, l.length()) <= 80), frame);
        assertEquals("═".repeat(80), lines.getFirst());
        assertEquals("  EXPERIMENT: oracle-training | RUN: oracle-run (2a7c9e10) | STATUS: ▶ RUNNING", lines.get(1));
        assertEquals("  ★ GOLDEN", lines.get(2), "marks that do not fit go on their own line");
        assertEquals("  Step:  [██████░░░░░░░░░] 40/100 (40%)  elapsed 10m 0s  ETA 15m 0s  0.1 steps/s", lines.get(4),
                "the bar takes the room the rest of the line leaves");
        assertTrue(frame.contains("mean=0.300  std=0.200  ↓ improving  ✗ 2 NaN/inf"), frame);
        assertTrue(frame.contains("mean=0.700  std=0.100  ↑ improving"), frame);
        assertTrue(frame.contains("  Time Actual: 10m 0s   [██████████░░░░░░░░░░] 50.0% ✓ OK"), frame);
        assertTrue(frame.contains("  Heap:        4.0 GB of 8.0 GB max [██████████░░░░░░░░░░] 50%"), frame);
        assertTrue(frame.contains("  read: 12,345 (1.0 MB) | write: 3,456"), frame);
        assertTrue(frame.contains("  ✗ CRITICAL non_finite loss step 30: loss is NaN"), frame);
        assertEquals("  [q] Quit  [p] Pause  [s] Screenshot  [g] Promote to Golden", lines.getLast());
    }

    @Test
    void asciiFramesHoldOnlyAsciiAndShowPauseAndOverrun() {
        List<String> lines = Dashboard.render(snapshot(300.0, List.of("processors' query server: down")), 100, Glyphs.ASCII, true,
                "display paused (the run keeps training)");
        String frame = String.join("\n", lines);
        assertTrue(frame.chars().allMatch(c -> c < 128), frame);
        assertTrue(lines.get(1).endsWith("STATUS: > RUNNING  * GOLDEN  [PAUSED]"), lines.get(1));
        assertTrue(frame.contains("200.0% x OVER"), frame);
        assertTrue(frame.contains("  processors' query server: down"), frame);
        assertEquals("  display paused (the run keeps training)", lines.getLast());
        assertTrue(lines.get(lines.size() - 2).contains("[p] Resume"), frame);
    }

    @Test
    void narrowTerminalsGetTheMinimumWidth() {
        List<String> lines = Dashboard.render(snapshot(null, List.of()), 20, Glyphs.UNICODE, false, "");
        assertTrue(lines.stream().allMatch(l -> l.codePointCount(0, l.length()) <= Dashboard.MIN_WIDTH), String.join("\n", lines));
        assertFalse(String.join("\n", lines).contains("Time Plan"), "no duration plan, no plan line");
    }

    @Test
    void trendsKnowWhichWayIsBetter() {
        assertEquals("↓ improving", Trend.describe("val_loss", -0.1, 10, 0.1, Glyphs.UNICODE));
        assertEquals("↓ worsening", Trend.describe("accuracy", -0.1, 10, 0.1, Glyphs.UNICODE));
        assertEquals("^ rising", Trend.describe("lr", 0.1, 10, 0.1, Glyphs.ASCII));
        assertEquals("→ flat", Trend.describe("loss", 0.0001, 10, 0.1, Glyphs.UNICODE));
        assertEquals("→ flat", Trend.describe("loss", Double.NaN, 10, 0.1, Glyphs.UNICODE));
        assertEquals(2.0, Trend.slope(List.of(1.0, 3.0, Double.NaN, 7.0)), 1e-12);
    }

    @Test
    void clickHouseArraysParseWithNonFiniteValues() {
        assertEquals(List.of(1.0, 0.5, Double.NaN, Double.NEGATIVE_INFINITY), WatchSource.parseArray("[1,0.5,nan,-inf]"));
        assertEquals(List.of(), WatchSource.parseArray("[]"));
    }

    @Test
    void screenshotsArePlainTextFiles(@TempDir Path dir) throws Exception {
        String status = Watcher.screenshot(List.of("line 1", "line 2"), "2a7c9e10-0000-4000-8000-000000000001", dir.resolve("shots"));
        Path file = Path.of(status.substring("screenshot: ".length()));
        assertTrue(file.getFileName().toString().matches("entrenar-watch-2a7c9e10-\\d{8}T\\d{6}Z\\.txt"), status);
        assertEquals("line 1\nline 2\n", Files.readString(file));
    }
}
