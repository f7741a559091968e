package io.entrenar.trainer.listen;

/** An upstream run this run depends on, e.g. the teacher of a distilled student. */
public record LineageParent(String runId, Role role) {
    public enum Role { TEACHER, RESUMED_FROM, SWEEP_BASE }
}
