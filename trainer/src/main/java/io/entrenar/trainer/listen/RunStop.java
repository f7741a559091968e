package io.entrenar.trainer.listen;

/**
 * A run that ended on purpose before its last step: a STOP command (a person or Andon's
 * EMERGENCY_STOP), or a rejected or unanswered approval gate.
 *
 * @param checkpoint where training can resume from (rerun the same config), or null without checkpoint.dir
 */
public record RunStop(String reason, long step, int epoch, Checkpoint checkpoint) {
}
