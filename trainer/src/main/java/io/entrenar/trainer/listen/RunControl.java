package io.entrenar.trainer.listen;

import java.time.Duration;

/**
 * What people and Andon ask of a live run (STOP, PAUSE, RESUME, APPROVE, REJECT on
 * {@code entrenar.control.v1}), as the training loop reads it at its step boundaries. A run that
 * nobody can command (not tracked) has {@link #NONE}.
 */
public interface RunControl {

    /** How an approval gate ended. */
    enum Decision { APPROVED, REJECTED, TIMED_OUT, STOPPED }

    /** No commands ever arrive: never stopped, never paused; approval gates cannot be answered. */
    RunControl NONE = new RunControl() {
        @Override
        public boolean stopRequested() {
            return false;
        }

        @Override
        public String stopReason() {
            return null;
        }

        @Override
        public boolean paused() {
            return false;
        }

        @Override
        public boolean awaitResume(Duration timeout) {
            return true;
        }

        @Override
        public Decision awaitApproval(String gate, Duration timeout, Runnable opened) {
            throw new IllegalStateException("approval gate '" + gate + "' needs a tracked run (entrenar train --track): "
                    + "nobody can approve an untracked one");
        }
    };

    boolean stopRequested();

    /** Who asked for the stop and why, or null. */
    String stopReason();

    boolean paused();

    /** Waits while paused, without spinning; true once resumed (or stopped), false if still paused after {@code timeout}. */
    boolean awaitResume(Duration timeout) throws InterruptedException;

    /**
     * Marks the run AWAITING_APPROVAL and blocks until APPROVE, REJECT, STOP or {@code timeout}.
     * {@code opened} runs once decisions count and before the wait: announce the gate there, so that a
     * decision sent in reply to the announcement is never missed.
     */
    Decision awaitApproval(String gate, Duration timeout, Runnable opened) throws InterruptedException;
}
