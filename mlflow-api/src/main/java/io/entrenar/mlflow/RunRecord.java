package io.entrenar.mlflow;

import java.util.List;
import java.util.Map;

/**
 * One run as MLflow describes it, read from ClickHouse: info, the latest value of each metric,
 * params and tags (deleted tags already left out).
 *
 * @param status         MLflow's status: RUNNING, SCHEDULED, FINISHED, FAILED or KILLED
 * @param endTime        epoch ms, or null while the run is live
 * @param lifecycleStage {@code active} or {@code deleted}
 */
record RunRecord(String runId, String runName, String experimentId, String status, long startTime, Long endTime,
                 String lifecycleStage, List<LatestMetric> metrics, Map<String, String> params, Map<String, String> tags) {

    /** The tag that records MLflow's delete-run / restore-run. */
    static final String LIFECYCLE_TAG = "entrenar.lifecycle_stage";

    /** The latest point of a metric: highest step, then latest time (MLflow's rule). */
    record LatestMetric(String key, double value, long timestamp, long step) {
    }

    /** Our run status as MLflow names it. */
    static String mlflowStatus(String ours) {
        if (ours == null) {
            return "RUNNING";
        }
        return switch (ours) {
            case "PENDING" -> "SCHEDULED";
            case "COMPLETED" -> "FINISHED";
            case "FAILED", "UNSAFE" -> "FAILED";
            case "STOPPED" -> "KILLED";
            default -> "RUNNING";
        };
    }

    /** The tags MLflow clients see: without the lifecycle tag this API keeps for itself. */
    static Map<String, String> withoutInternal(Map<String, String> tags) {
        Map<String, String> t = new java.util.LinkedHashMap<>(tags);
        t.remove(LIFECYCLE_TAG);
        return t;
    }

    String userId() {
        return tags.getOrDefault("mlflow.user", "");
    }

    /** The run's name: the one MLflow's update-run set last, else the one it started with. */
    String displayName() {
        return tags.getOrDefault("mlflow.runName", runName == null ? "" : runName);
    }

    Double metric(String key) {
        for (LatestMetric m : metrics) {
            if (m.key().equals(key)) {
                return m.value();
            }
        }
        return null;
    }
}
