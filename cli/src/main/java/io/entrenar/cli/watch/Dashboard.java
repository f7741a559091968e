package io.entrenar.cli.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.entrenar.cli.view.AlertsTable;
import io.entrenar.cli.view.Bars;
import io.entrenar.cli.view.Cells;
import io.entrenar.cli.view.Glyphs;
import io.entrenar.cli.view.RunInfo;
import io.entrenar.cli.view.RunsTable;

/**
 * Draws one frame of the terminal dashboard of spec 7.2 from a {@link Snapshot}: header, progress
 * with ETA, a sparkline with mean/std/trend per metric, resource plan vs actual, syscall/IO
 * counters, open alerts and the key line. Pure: the same snapshot and width give the same lines,
 * each at most {@code width} characters.
 */
final class Dashboard {
    static final int MIN_WIDTH = 60;
    static final int LABEL = 12;
    /** Plan overrun tolerated before the resource line reads OVER (the Andon default, spec 11). */
    static final double TOLERANCE_PCT = 10.0;

    private Dashboard() {
    }

    /** The most values a sparkline shows; narrower terminals show the tail. */
    static final int MAX_SPARK = 40;

    static List<String> render(Snapshot s, int terminalWidth, Glyphs g, boolean paused, String status) {
        int width = Math.max(terminalWidth, MIN_WIDTH);
        List<String> lines = new ArrayList<>();
        String heavy = Glyphs.repeat(g.heavyRule(), width);
        String light = Glyphs.repeat(g.lightRule(), width);
        lines.add(heavy);
        RunInfo run = s.run();
        if (run == null) {
            lines.add("  RUN: (not yet in ClickHouse)");
        } else {
            String header = "  EXPERIMENT: " + run.experiment() + " | RUN: " + (run.runName() == null ? "" : run.runName() + " ")
                    + "(" + shortId(run.runId()) + ") | STATUS: " + RunsTable.statusMark(run.status(), g);
            String marks = (s.golden() ? "  " + g.star() + " GOLDEN" : "") + (paused ? "  [PAUSED]" : "");
            if (Cells.width(header + marks) <= width) {
                lines.add(header + marks);
            } else {
                lines.add(header);
                if (!marks.isEmpty()) {
                    lines.add(marks);
                }
            }
            lines.add(light);
            lines.addAll(progress(s, width, g));
            lines.add(light);
            lines.addAll(metrics(s, width, g));
            lines.add(light);
            lines.addAll(resources(s, width, g));
            lines.add(light);
            lines.addAll(io(s, width));
            lines.add(light);
            lines.addAll(alerts(s, g));
        }
        for (String note : s.notes()) {
            lines.add("  " + note);
        }
        lines.add(heavy);
        lines.add("  [q] Quit  [p] " + (paused ? "Resume" : "Pause") + "  [s] Screenshot  [g] Promote to Golden");
        if (status != null && !status.isEmpty()) {
            lines.add("  " + status);
        }
        List<String> out = new ArrayList<>(lines.size());
        for (String l : lines) {
            out.add(Cells.clip(l, width, g));
        }
        return out;
    }

    private static List<String> progress(Snapshot s, int width, Glyphs g) {
        Snapshot.Progress p = s.progress();
        RunInfo run = s.run();
        StringBuilder after = new StringBuilder();
        Duration elapsed = run.elapsed(s.takenAt());
        after.append("  elapsed ").append(Cells.duration(elapsed));
        if (run.finished()) {
            after.append("  done");
        } else if (p != null && p.remainingSecs() != null) {
            after.append("  ETA ").append(Cells.duration(Duration.ofMillis(Math.round(p.remainingSecs() * 1000))));
        }
        if (p != null && p.stepsPerSec() != null && !run.finished()) {
            after.append(String.format(Locale.ROOT, "  %.1f steps/s", p.stepsPerSec()));
        }
        long step = p == null ? 0 : p.step();
        Long total = p == null ? null : p.totalSteps();
        // The bar takes what the counts and times leave of the line.
        int fixed = Cells.width("  Step:  []") + Cells.width(Bars.progress(step, total, 0, g)) - 2 + Cells.width(after.toString());
        int bar = Math.max(10, Math.min(40, width - fixed));
        return List.of("  Step:  " + Bars.progress(step, total, bar, g) + after);
    }

    private static List<String> metrics(Snapshot s, int width, Glyphs g) {
        List<String> out = new ArrayList<>();
        out.add("  METRICS (" + (s.run().finished() ? "final" : "Live") + ")");
        if (s.metrics().isEmpty()) {
            out.add("  no points yet");
            return out;
        }
        List<String> stats = new ArrayList<>();
        for (Snapshot.MetricView m : s.metrics()) {
            stats.add("mean=" + Cells.number(m.mean(), 3) + "  std=" + Cells.number(m.std(), 3)
                    + "  " + Trend.describe(m.name(), m.trendSlope(), Math.max(m.recent().size(), 2), m.std(), g)
                    + (m.nonFinite() > 0 ? "  " + g.fail() + " " + m.nonFinite() + " NaN/inf" : ""));
        }
        int widest = stats.stream().mapToInt(Cells::width).max().orElse(0);
        int spark = Math.max(8, Math.min(MAX_SPARK, width - 2 - LABEL - 1 - 2 - widest));
        for (int i = 0; i < s.metrics().size(); i++) {
            Snapshot.MetricView m = s.metrics().get(i);
            String line = "  " + Cells.padRight(Cells.clip(m.name(), LABEL, g), LABEL) + " "
                    + Cells.padRight(Bars.sparkline(m.recent(), spark, g), spark) + "  " + stats.get(i);
            String last = "  last=" + Cells.number(m.last(), 4);
            out.add(Cells.width(line) + Cells.width(last) <= width ? line + last : line);
        }
        return out;
    }

    private static List<String> resources(Snapshot s, int width, Glyphs g) {
        List<String> out = new ArrayList<>();
        out.add("  RESOURCE PLANNING (spec 11)");
        RunInfo run = s.run();
        int bar = 20;
        if (run.plannedDurationSecs() != null && run.plannedDurationSecs() > 0) {
            Duration elapsed = run.elapsed(s.takenAt());
            double pct = elapsed == null ? 0 : elapsed.toMillis() / 10.0 / run.plannedDurationSecs();
            out.add("  Time Plan:   " + Cells.duration(Duration.ofMillis(Math.round(run.plannedDurationSecs() * 1000))));
            out.add("  Time Actual: " + Cells.padRight(Cells.duration(elapsed), 8) + " " + planBar(pct, bar, g));
        }
        if (s.progress() != null && s.progress().totalSteps() != null && s.progress().totalSteps() > 0) {
            double pct = s.progress().step() * 100.0 / s.progress().totalSteps();
            out.add("  Steps:       " + s.progress().step() + " of " + s.progress().totalSteps() + String.format(Locale.ROOT, " planned (%.0f%%)", pct));
        }
        if (run.plannedCostUsd() != null) {
            out.add(String.format(Locale.ROOT, "  Cost Plan:   $%.4f   Actual: %s", run.plannedCostUsd(),
                    run.costUsd() == null ? "- (at finish)" : String.format(Locale.ROOT, "$%.4f %s", run.costUsd(),
                            planBar(run.costUsd() * 100 / run.plannedCostUsd(), bar, g))));
        }
        Snapshot.Resources r = s.resources();
        if (r != null) {
            StringBuilder heap = new StringBuilder("  Heap:        ");
            if (r.heapUsedBytes() != null) {
                heap.append(Cells.bytes(r.heapUsedBytes()));
                if (r.heapMaxBytes() != null && r.heapMaxBytes() > 0) {
                    double pct = r.heapUsedBytes() * 100.0 / r.heapMaxBytes();
                    heap.append(" of ").append(Cells.bytes(r.heapMaxBytes())).append(" max [")
                            .append(Bars.bar(pct / 100, bar, g, true)).append(String.format(Locale.ROOT, "] %.0f%%", pct));
                }
            }
            out.add(heap.toString());
            StringBuilder jvm = new StringBuilder("  JVM:        ");
            if (r.processCpuLoad() != null) {
                jvm.append(String.format(Locale.ROOT, " CPU %.0f%%", r.processCpuLoad() * 100));
            }
            if (r.threads() != null) {
                jvm.append(" | threads ").append(r.threads());
            }
            if (r.gcCount() != null) {
                jvm.append(" | GC ").append(Cells.count(r.gcCount()));
                if (r.gcPauseMicros() != null) {
                    jvm.append(" (").append(Cells.duration(Duration.ofNanos(r.gcPauseMicros() * 1000))).append(" paused)");
                }
            }
            if (r.vramUsedMb() != null) {
                jvm.append(String.format(Locale.ROOT, " | VRAM %.0f MB", r.vramUsedMb()));
            }
            out.add(jvm.toString());
        }
        if (out.size() == 1) {
            out.add("  no plan and no resource samples recorded");
        }
        return out;
    }

    /** Run ids are UUIDs: the first 8 characters identify a run on screen, as git does with commits. */
    static String shortId(String runId) {
        return runId.length() > 12 ? runId.substring(0, 8) : runId;
    }

    /** {@code [████████░░] 80.0% ✓ OK}, or {@code ✗ OVER} past the tolerance. */
    static String planBar(double pct, int width, Glyphs g) {
        boolean over = pct > 100 + TOLERANCE_PCT;
        return "[" + Bars.bar(pct / 100, width, g, true) + "] " + String.format(Locale.ROOT, "%.1f%%", pct) + " "
                + (over ? g.fail() + " OVER" : g.ok() + " OK");
    }

    private static List<String> io(Snapshot s, int width) {
        List<String> out = new ArrayList<>();
        out.add("  SYSCALLS / IO (JFR, spec 5)");
        if (s.io().isEmpty()) {
            out.add("  none recorded (attach the agent: -javaagent)");
            return out;
        }
        // Counters wrap onto further lines rather than being cut at the edge.
        StringBuilder line = new StringBuilder("  ");
        for (Snapshot.IoCount c : s.io()) {
            String item = c.operation().toLowerCase(Locale.ROOT) + ": " + Cells.count(c.count())
                    + (c.bytes() > 0 ? " (" + Cells.bytes(c.bytes()) + ")" : "");
            if (line.length() > 2 && line.length() + 3 + item.length() > width) {
                out.add(line.toString());
                line = new StringBuilder("  ");
            }
            line.append(line.length() > 2 ? " | " : "").append(item);
        }
        out.add(line.toString());
        return out;
    }

    private static List<String> alerts(Snapshot s, Glyphs g) {
        List<String> out = new ArrayList<>();
        out.add("  OPEN ALERTS" + (s.openAlerts().isEmpty() ? ": none" : " (" + s.openAlerts().size() + ")"));
        for (AlertsTable.Incident a : s.openAlerts()) {
            out.add("  " + g.fail() + " " + a.severity() + " " + a.rule() + (a.metric() == null ? "" : " " + a.metric())
                    + (a.step() == null ? "" : " step " + a.step()) + ": " + a.message());
        }
        return out;
    }
}
