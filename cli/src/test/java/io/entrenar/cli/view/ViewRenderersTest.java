package io.entrenar.cli.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ViewRenderersTest {

    @Test
    void textTableDrawsTheSpecLayoutInUnicodeAndAscii() {
        TextTable t = TextTable.of("Run ID", "Loss").alignRight("Loss").row("run-1", "0.3124").row("run-22", null);
        assertEquals("""
                ┌────────┬────────┐
                │ Run ID │ Loss   │
                ├────────┼────────┤
                │ run-1  │ 0.3124 │
                │ run-22 │      - │
                └────────┴────────┘
                """, t.render(Glyphs.UNICODE));
        assertEquals("""
                +--------+--------+
                | Run ID | Loss   |
                +--------+--------+
                | run-1  | 0.3124 |
                | run-22 |      - |
                +--------+--------+
                """, t.render(Glyphs.ASCII));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.row("only-one"));
        assertTrue(e.getMessage().contains("row has 1 cells, the table has 2 columns"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.alignRight("Accuracy"));
    }

    @Test
    void glyphsFollowTheLocaleAndTerm() {
        assertTrue(Glyphs.detect(Map.of("LANG", "en_US.UTF-8")).unicode());
        assertTrue(Glyphs.detect(Map.of("LC_ALL", "C.utf8", "LANG", "C")).unicode());
        assertFalse(Glyphs.detect(Map.of("LC_ALL", "C", "LANG", "en_US.UTF-8")).unicode(), "LC_ALL wins over LANG");
        assertFalse(Glyphs.detect(Map.of()).unicode());
        assertFalse(Glyphs.detect(Map.of("LANG", "C.UTF-8", "TERM", "dumb")).unicode());
        assertFalse(Glyphs.choose(true, Map.of("LANG", "C.UTF-8")).unicode());
    }

    @Test
    void cellsWriteDurationsAndNumbersAsTheSpecDoes() {
        assertEquals("45m 12s", Cells.duration(Duration.ofSeconds(45 * 60 + 12)));
        assertEquals("2m 34s", Cells.duration(Duration.ofSeconds(154)));
        assertEquals("2h 03m", Cells.duration(Duration.ofMinutes(123)));
        assertEquals("1d 02h", Cells.duration(Duration.ofHours(26)));
        assertEquals("850ms", Cells.duration(Duration.ofMillis(850)));
        assertEquals("-", Cells.duration(null));
        assertEquals("NaN", Cells.number(Double.NaN, 4));
        assertEquals("0.8523", Cells.number(0.85234, 4));
        assertEquals("1.5 MB", Cells.bytes(1_572_864));
        assertEquals("ab…", Cells.clip("abcdef", 3, Glyphs.UNICODE));
        assertEquals("ab~", Cells.clip("abcdef", 3, Glyphs.ASCII));
    }

    @Test
    void barsScaleSparklinesAndShowNonFiniteValues() {
        assertEquals("▁▅█", Bars.sparkline(List.of(1.0, 2.0, 3.0), 10, Glyphs.UNICODE));
        assertEquals("▁█!", Bars.sparkline(List.of(0.0, 1.0, 2.0, Double.NaN), 3, Glyphs.UNICODE), "the last width values");
        assertEquals("_o@", Bars.sparkline(List.of(1.0, 2.0, 3.0), 10, Glyphs.ASCII));
        assertEquals("▅▅", Bars.sparkline(List.of(5.0, 5.0), 10, Glyphs.UNICODE), "a constant series sits mid-height");
        assertEquals("[████░░░░░░] 40/100 (40%)", Bars.progress(40, 100L, 10, Glyphs.UNICODE));
        assertEquals("[....] 7/?", Bars.progress(7, null, 4, Glyphs.ASCII));
        assertEquals("##########", Bars.bar(1.7, 10, Glyphs.ASCII, true), "clamped to full");
    }

    @Test
    void runsTableMarksStatusAndWritesJson() {
        RunsTable.RunRow ok = new RunsTable.RunRow("run-a", "a", "exp", "COMPLETED", Instant.parse("2025-11-30T12:00:00Z"),
                Duration.ofSeconds(45 * 60 + 12), 100L, 100L, 0.8523, 0.3124);
        RunsTable.RunRow failed = new RunsTable.RunRow("run-b", "b", "exp", "FAILED", null, Duration.ofSeconds(154), 3L, null, null, Double.NaN);
        String table = RunsTable.render(List.of(ok, failed), Glyphs.UNICODE);
        assertTrue(table.contains("│ run-a  │ a    │ exp        │ ✓ OK   │   0.8523 │ 0.3124 │   100 │  45m 12s │"), table);
        assertTrue(table.contains("│ run-b  │ b    │ exp        │ ✗ FAIL │        - │    NaN │     3 │   2m 34s │"), table);
        assertEquals("▶ RUNNING", RunsTable.statusMark("RUNNING", Glyphs.UNICODE));
        assertEquals("o PAUSED", RunsTable.statusMark("PAUSED", Glyphs.ASCII));
        String json = RunsTable.json(List.of(failed));
        assertTrue(json.contains("\"loss\" : \"NaN\"") && json.contains("\"duration_ms\" : 154000"), json);
        assertThrows(IllegalArgumentException.class, () -> new RunsTable.Filter("", "", 0));
        assertEquals("FAILED", new RunsTable.Filter(null, "failed", 5).status());
    }

    @Test
    void leaderboardReportHasTheHeaderTableAndRecommendationLinesOfSpec243() {
        LeaderboardReport.Entry gbt = new LeaderboardReport.Entry("r1", "aprender-gbt", "cpu", 0.891, 0.02, 0.001, true);
        LeaderboardReport.Entry distil = new LeaderboardReport.Entry("r2", "distilbert-qlora", "gpu", 0.923, 1.50, 0.150, true);
        LeaderboardReport.Entry bert = new LeaderboardReport.Entry("r3", "bert-base", "gpu", 0.918, 4.20, 0.420, false);
        LeaderboardReport.Report report = new LeaderboardReport.Report("imdb-cls", "imdb", "classification", "accuracy", 5.0,
                List.of(distil, bert, gbt), new LeaderboardReport.WithinBudget(distil, 0.032, 1.48));
        String text = LeaderboardReport.render(report, Glyphs.UNICODE);
        List<String> lines = text.lines().toList();
        assertEquals("│ COST-PERFORMANCE BENCHMARK: imdb-cls (imdb/classification)", lines.get(1).substring(0, 60).stripTrailing());
        assertTrue(lines.get(2).startsWith("│ Budget: $5.00 | Best: distilbert-qlora-gpu (Pareto optimal) "), lines.get(2));
        assertTrue(lines.getFirst().startsWith("╭") && lines.get(3).startsWith("╰"), text);
        assertEquals(Cells.width(lines.get(0)), Cells.width(lines.get(5)), "the box is as wide as the table");
        assertTrue(text.contains("│ aprender-gbt     │ CPU    │    0.891 │    0.02 │ 0.001 │ ★ OPTIMAL │"), text);
        assertTrue(text.contains("│ bert-base        │ GPU    │    0.918 │    4.20 │ 0.420 │ dominated │"), text);
        assertEquals(List.of("Recommendation: Use aprender-gbt-cpu for 75x cost savings with 3.2% accuracy loss.",
                "For max accuracy within budget: distilbert-qlora-gpu (+3.2% accuracy, +$1.48)"), LeaderboardReport.recommendations(report));

        LeaderboardReport.Report alone = new LeaderboardReport.Report("b", null, null, null, null, List.of(gbt), null);
        assertEquals(List.of("Recommendation: Use aprender-gbt-cpu: it is both the cheapest and the most accurate."),
                LeaderboardReport.recommendations(alone));
        assertEquals("No leaderboard entries yet.\n", LeaderboardReport.render(List.of(), Glyphs.ASCII));

        // An unknown cost is "-", never $0, and ranks as the highest cost.
        LeaderboardReport.Entry tiny = new LeaderboardReport.Entry("r5", "tiny", "cpu", 0.5, 0.00001, 0.0000123456, false);
        assertTrue(LeaderboardReport.render(new LeaderboardReport.Report("t", null, null, null, null, List.of(tiny), null), Glyphs.ASCII)
                .contains("| 0.0000123 |"), "a short CPU run's energy shows its digits, not 0.000");
        LeaderboardReport.Entry unknown = new LeaderboardReport.Entry("r4", "mystery", "cpu", 0.95, null, null, true);
        LeaderboardReport.Report partly = new LeaderboardReport.Report("b", null, null, "accuracy", null, List.of(unknown, gbt), null);
        String partlyText = LeaderboardReport.render(partly, Glyphs.UNICODE);
        assertTrue(partlyText.contains("│ mystery      │ CPU    │    0.950 │       - │     - │ ★ OPTIMAL │"), partlyText);
        assertTrue(partlyText.contains("Best: aprender-gbt-cpu (Pareto optimal)"), "a known cost is more efficient than an unknown one: " + partlyText);
        assertEquals(List.of("Recommendation: Use aprender-gbt-cpu for unknown cost savings with 5.9% accuracy loss."),
                LeaderboardReport.recommendations(partly));
    }

    @Test
    void failureParetoNamesTheVitalFew() {
        List<FailureParetoTable.FailureRow> rows = List.of(
                new FailureParetoTable.FailureRow("E_OOM", "RESOURCE", 6, 5L, 60, 60, "lower the batch size"),
                new FailureParetoTable.FailureRow("E_NAN", "MODEL", 3, 3L, 30, 90, null),
                new FailureParetoTable.FailureRow("E_IO", "INFRA", 1, 1L, 10, 100, null));
        assertEquals(List.of("E_OOM", "E_NAN"), FailureParetoTable.vitalFew(rows));
        String text = FailureParetoTable.render(rows, Glyphs.ASCII);
        assertTrue(text.contains("| E_OOM      | RESOURCE |     6 |    5 | 60.0% |      60.0% | #################### | lower the batch size |"), text);
        assertTrue(text.contains("| E_IO       | INFRA    |     1 |    1 | 10.0% |     100.0% | ###                  | -                    |"), text);
        assertTrue(text.endsWith("2 of 3 error codes cause 90.0% of failures: E_OOM, E_NAN\n"), text);
        assertEquals("No failed runs with recorded failures.\n", FailureParetoTable.render(List.of(), Glyphs.ASCII));
    }

    @Test
    void lineageTreePrintsADiamondOnceAndMarksTheRepeat() {
        // c was distilled from b and fine-tuned from a; b was itself fine-tuned from a.
        LineageTree.Graph g = new LineageTree.Graph("c", List.of(new LineageTree.Edge("c", "b", "DISTILLED_FROM"),
                new LineageTree.Edge("c", "a", "FINE_TUNED_FROM"), new LineageTree.Edge("b", "a", "FINE_TUNED_FROM")),
                Map.of("a", new LineageTree.RunLabel("a", "base", "COMPLETED"), "c", new LineageTree.RunLabel("c", "student", "RUNNING")));
        assertEquals("""
                c  student  [▶ RUNNING]
                ├── derived from
                │   ├── distilled from: b (not in the runs table)
                │   │   └── fine tuned from: a  base  [✓ OK]
                │   └── fine tuned from: a  base  [✓ OK] (see above)
                └── derived runs: none
                """, LineageTree.render(g, Glyphs.UNICODE));
        assertEquals("['x','it\\'s']", LineageTree.arrayLiteral(new java.util.LinkedHashSet<>(Arrays.asList("x", "it's"))));
    }

    @Test
    void moneyKeepsCentsAndShowsSubCentCostsWithThreeSignificantDigits() {
        assertEquals("1.48", Cells.money(1.4841));
        assertEquals("0.0000236", Cells.money(0.00002357));
        assertEquals("0.00", Cells.money(0.0));
        assertEquals("-", Cells.money(null));
    }
}
