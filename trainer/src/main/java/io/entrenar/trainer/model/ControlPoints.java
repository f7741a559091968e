package io.entrenar.trainer.model;

import java.time.Duration;
import java.util.Locale;

import io.entrenar.trainer.config.TrainingConfig.ApprovalSpec;
import io.entrenar.trainer.listen.ControlEvent;
import io.entrenar.trainer.listen.ControlEvent.Kind;
import io.entrenar.trainer.listen.RunControl;
import io.entrenar.trainer.listen.RunListener;

/**
 * Where a training loop obeys control commands: at every step boundary it stops or waits while
 * paused, and at the approval gates of its config it waits for a person's decision. Each method
 * returns why the run must stop, or null to go on; the loop then writes its checkpoint and ends the
 * run STOPPED. Pausing touches no training state, so a paused and resumed run computes exactly what
 * an uninterrupted one does.
 */
final class ControlPoints {
    /** How often a paused loop looks at the process's stop signal (SIGTERM) while it waits for RESUME. */
    private static final Duration SIGNAL_CHECK = Duration.ofMillis(250);

    private final RunListener run;
    private final RunControl control;
    private final ApprovalSpec approval;
    private boolean metricGateOpened;

    ControlPoints(RunListener run, ApprovalSpec approval) {
        this.run = run;
        this.control = run.control();
        this.approval = approval;
    }

    /** Before a step: the stop reason, or null after waiting out a pause (a SIGTERM ends the wait too). */
    String beforeStep(long step, int epoch) throws InterruptedException {
        if (control.stopRequested()) {
            return stopReason();
        }
        if (control.paused() && !StopSignal.requested()) {
            run.controlled(new ControlEvent(Kind.PAUSED, step, epoch, null));
            run.flush();
            while (control.paused() && !control.stopRequested() && !StopSignal.requested()) {
                control.awaitResume(SIGNAL_CHECK);
            }
            if (control.stopRequested()) {
                return stopReason();
            }
            run.controlled(new ControlEvent(Kind.RESUMED, step, epoch, null));
        }
        return null;
    }

    /** After an epoch's validation: the after_epochs gate and the first crossing of the metric gate. */
    String afterEpoch(int epoch, long step, double trainLoss, double valLoss, double valAccuracy, double valMacroF1)
            throws InterruptedException {
        if (approval.afterEpochs().contains(epoch)) {
            String stop = gate("after epoch " + epoch, step, epoch);
            if (stop != null) {
                return stop;
            }
        }
        if (approval.metric() != null && !metricGateOpened) {
            double value = switch (approval.metric()) {
                case "train_loss" -> trainLoss;
                case "val_loss" -> valLoss;
                case "val_accuracy" -> valAccuracy;
                default -> valMacroF1;
            };
            boolean above = !Double.isNaN(approval.above()) && value > approval.above();
            boolean below = !Double.isNaN(approval.below()) && value < approval.below();
            if (above || below) {
                metricGateOpened = true;
                return gate(String.format(Locale.ROOT, "%s %.4f %s %s at epoch %d", approval.metric(), value,
                        above ? ">" : "<", above ? approval.above() : approval.below(), epoch), step, epoch);
            }
        }
        return null;
    }

    /** Before the final model is written. */
    String beforeModel(long step, int epoch) throws InterruptedException {
        if (control.stopRequested()) {
            return stopReason();
        }
        return approval.beforeModel() ? gate("before writing the final model", step, epoch) : null;
    }

    private String gate(String gate, long step, int epoch) throws InterruptedException {
        run.flush(); // what the loop logged is out before it waits
        // Announced only once the gate counts decisions: an APPROVE sent in reply cannot arrive too early.
        RunControl.Decision decision = control.awaitApproval(gate, approval.timeout(),
                () -> run.controlled(new ControlEvent(Kind.AWAITING_APPROVAL, step, epoch, gate)));
        return switch (decision) {
            case APPROVED -> {
                run.controlled(new ControlEvent(Kind.APPROVED, step, epoch, gate));
                yield null;
            }
            case REJECTED -> {
                run.controlled(new ControlEvent(Kind.REJECTED, step, epoch, gate));
                yield "rejected at the approval gate " + gate;
            }
            case TIMED_OUT -> {
                run.controlled(new ControlEvent(Kind.APPROVAL_TIMED_OUT, step, epoch, gate));
                yield approval.continueOnTimeout() ? null
                        : "no approval decision within " + approval.timeout().toSeconds() + " s at the gate " + gate
                                + " (approval.on_timeout: stop)";
            }
            case STOPPED -> stopReason();
        };
    }

    private String stopReason() {
        String reason = control.stopReason();
        return reason != null ? reason : "STOP command";
    }
}
