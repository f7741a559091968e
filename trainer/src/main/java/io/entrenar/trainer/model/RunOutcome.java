package io.entrenar.trainer.model;

import java.util.Map;

import io.entrenar.trainer.listen.ModelArtifact;
import io.entrenar.trainer.listen.RunStop;
import io.entrenar.trainer.listen.TrainingFailure;

/**
 * How a run ended.
 *
 * @param logits the trained model's raw scores for a scaled row (null for failed runs and for
 *        models without logits): what a distillation student learns from
 * @param stop why the run was stopped before its end (a STOP command, a gate said no), or null
 */
public record RunOutcome(String runId, Map<String, Double> metrics, ModelArtifact artifact, TrainingFailure failure,
        Logits logits, RunStop stop) {

    public static RunOutcome completed(String runId, Map<String, Double> metrics, ModelArtifact artifact, Logits logits) {
        return new RunOutcome(runId, metrics, artifact, null, logits, null);
    }

    public static RunOutcome failed(String runId, TrainingFailure failure) {
        return new RunOutcome(runId, Map.of(), null, failure, null, null);
    }

    public static RunOutcome stopped(String runId, RunStop stop) {
        return new RunOutcome(runId, Map.of(), null, null, null, stop);
    }

    public interface Logits {
        void of(double[] scaledRow, double[] out);
    }

    /** Ran to its end: neither failed nor stopped. */
    public boolean succeeded() {
        return failure == null && stop == null;
    }

    public boolean stopped() {
        return stop != null;
    }
}
