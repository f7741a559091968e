package io.entrenar.trainer.listen;

/**
 * Why a run stopped, structured so that failures can be grouped (failure Pareto): a stable error
 * code, a category, what was observed, what to do about it, and the stack.
 */
public record TrainingFailure(String errorCode, Category category, String diagnostic, String remediation,
        String stack, long step, int epoch) {
    public enum Category { RESOURCE, CONFIG, DATA, MODEL, INFRA }
}
