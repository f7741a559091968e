package io.entrenar.trainer.model;

import java.util.Map;

import io.entrenar.trainer.listen.ModelArtifact;
import io.entrenar.trainer.listen.TrainingFailure;

/**
 * How a run ended.
 *
 * @param logits the trained model's raw scores for a scaled row (null for failed runs and for
 *        models without logits): what a distillation student learns from
 */
public record RunOutcome(String runId, Map<String, Double> metrics, ModelArtifact artifact, TrainingFailure failure,
        Logits logits) {

    public interface Logits {
        void of(double[] scaledRow, double[] out);
    }

    public boolean succeeded() {
        return failure == null;
    }
}
