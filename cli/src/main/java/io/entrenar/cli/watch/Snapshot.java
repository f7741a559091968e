package io.entrenar.cli.watch;

import java.time.Instant;
import java.util.List;

import io.entrenar.cli.view.AlertsTable;
import io.entrenar.cli.view.RunInfo;

/**
 * Everything one frame of {@code runs watch} shows, read at {@code takenAt}. Fields a source could
 * not read are null or empty; {@code notes} says why (for example that the processors' query server
 * did not answer and statistics came from ClickHouse instead).
 */
record Snapshot(RunInfo run, boolean golden, List<MetricView> metrics, Progress progress, Resources resources,
                List<IoCount> io, List<AlertsTable.Incident> openAlerts, Instant takenAt, List<String> notes) {

    Snapshot {
        metrics = List.copyOf(metrics);
        io = List.copyOf(io);
        openAlerts = List.copyOf(openAlerts);
        notes = List.copyOf(notes);
    }

    /** One metric: whole-run statistics, its last values for the sparkline, and their slope per value. */
    record MetricView(String name, long count, double mean, double std, double trendSlope, double last, long lastStep,
                      long nonFinite, List<Double> recent) {
        MetricView {
            recent = List.copyOf(recent);
        }
    }

    /** Steps done and planned, and the Kalman ETA if the processors have estimated one. */
    record Progress(long step, Long totalSteps, Double remainingSecs, Double stepsPerSec) {
    }

    /** The latest resource sample next to the plan (spec 11). */
    record Resources(Long heapUsedBytes, Long heapMaxBytes, Double processCpuLoad, Long gcCount, Long gcPauseMicros,
                     Integer threads, Double vramUsedMb) {
    }

    /** A syscall/IO operation's totals over the run (JFR file/socket IO, GC, ...). */
    record IoCount(String category, String operation, long count, long bytes) {
    }
}
