package io.entrenar.trainer.listen;

import java.util.List;
import java.util.Map;

/** The outcome of a finished run: summary metrics on the test split and its confusion matrix. */
public record RunSummary(Map<String, Double> metrics, List<String> labels, int[][] confusionMatrix, long steps,
        int epochs, long wallMillis) {
    public RunSummary {
        metrics = Map.copyOf(metrics);
        labels = List.copyOf(labels);
    }
}
