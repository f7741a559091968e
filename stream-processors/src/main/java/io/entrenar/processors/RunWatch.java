package io.entrenar.processors;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** What Andon remembers about one run between events; stored as JSON in the {@code andon-runs} store. */
final class RunWatch {
    String runId;
    String experimentId;
    Map<String, String> tags = new HashMap<>();
    boolean started;
    boolean paused;
    boolean finished;
    long finishedWallMs;
    long startedWallMs;
    long lastLamport;
    long lastStep = -1;
    long lastProgressWallMs;
    Plan plan;
    Map<String, MetricWatch> metrics = new HashMap<>();
    /** Open incidents by incident key (rule, and metric or quantity). */
    Map<String, OpenIncident> open = new TreeMap<>();
    /** Incidents fired so far per incident key: numbers the incident ids. */
    Map<String, Integer> fired = new HashMap<>();

    RunWatch() {
    }

    RunWatch(String runId) {
        this.runId = runId;
    }

    MetricWatch metric(String name) {
        return metrics.computeIfAbsent(name, k -> new MetricWatch());
    }

    /** The resource plan of spec 11; null quantities were not planned. */
    static final class Plan {
        Double heapMb;
        Double vramMb;
        Double durationSecs;
        Double costUsd;
        Double energyKwh;
        double tolerancePct;
    }

    /** Running statistics of one monitored metric (Welford mean/variance, minimum, best value). */
    static final class MetricWatch {
        long count;
        double mean;
        double m2;
        double min = Double.POSITIVE_INFINITY;
        double best = Double.NaN;
        long bestStep = -1;

        void add(double v) {
            count++;
            double d = v - mean;
            mean += d / count;
            m2 += d * (v - mean);
            min = Math.min(min, v);
        }

        double std() {
            return count < 2 ? 0.0 : Math.sqrt(m2 / (count - 1));
        }
    }

    /** An incident that has fired and not yet resolved. */
    static final class OpenIncident {
        String incidentId;
        String rule;
        String metric;
        Long step;
        String severity;
        String action;
        String message;
        String suggestedAction;
        long firedAtMicros;
        Map<String, String> evidence = new TreeMap<>();
    }
}
