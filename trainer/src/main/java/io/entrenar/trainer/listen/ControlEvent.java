package io.entrenar.trainer.listen;

/**
 * The training loop acting on a control command: paused or resumed at a step boundary, waiting at an
 * approval gate, or the gate's decision.
 *
 * @param gate the approval gate's description, or null for pause/resume
 */
public record ControlEvent(Kind kind, long step, int epoch, String gate) {
    public enum Kind { PAUSED, RESUMED, AWAITING_APPROVAL, APPROVED, REJECTED, APPROVAL_TIMED_OUT }
}
