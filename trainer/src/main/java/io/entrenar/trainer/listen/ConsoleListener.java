package io.entrenar.trainer.listen;

import java.io.PrintStream;
import java.util.Locale;

/** Human-readable progress: one line per run start, epoch, checkpoint, artifact and outcome. */
public final class ConsoleListener implements TrainingListener {
    private final PrintStream out;

    public ConsoleListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void sweepStarted(SweepStart s) {
        out.printf(Locale.ROOT, "sweep %s (%s, %d trials) over %s%n", s.sweepId(), s.method(), s.trials(), s.space().keySet());
    }

    @Override
    public RunListener runStarted(RunStart s) {
        out.printf(Locale.ROOT, "run %s  %s  arch=%s  dataset=%s (sha256 %s)%s%s%s%n", s.runId(), s.name(), s.arch(),
                s.datasetName(), s.datasetSha256().length() > 12 ? s.datasetSha256().substring(0, 12) : s.datasetSha256(),
                s.trial() > 0 ? "  trial " + s.trial() : "",
                s.parents().isEmpty() ? "" : "  parents " + s.parents().stream()
                        .map(p -> p.role().name().toLowerCase(Locale.ROOT) + " " + p.runId()).toList(),
                s.resumedFromStep() > 0 ? "  resumed from step " + s.resumedFromStep() : "");
        out.flush();
        String runId = s.runId();
        return new RunListener() {
            @Override
            public void step(long step, int epoch, double loss, double learningRate, double gradientNorm) {
            }

            @Override
            public void epoch(int epoch, long step, double trainLoss, double validationLoss, double validationAccuracy,
                    double validationMacroF1) {
                out.printf(Locale.ROOT, "  epoch %3d  step %6d  train_loss %.4f  val_loss %.4f  val_acc %.4f  val_f1 %.4f%n",
                        epoch, step, trainLoss, validationLoss, validationAccuracy, validationMacroF1);
                out.flush();
            }

            @Override
            public void checkpointWritten(Checkpoint c) {
                out.printf(Locale.ROOT, "  checkpoint %s (epoch %d, %d bytes)%n", c.path(), c.epoch(), c.sizeBytes());
            }

            @Override
            public void artifactWritten(ModelArtifact a) {
                out.printf(Locale.ROOT, "  model %s  %s  sha256 %s%n", a.path(), a.format(), a.canonicalSha256());
            }

            @Override
            public void finished(RunSummary summary) {
                StringBuilder metrics = new StringBuilder();
                new java.util.TreeMap<>(summary.metrics()).forEach((k, v) ->
                        metrics.append(metrics.isEmpty() ? "" : "  ").append(k).append(' ').append(String.format(Locale.ROOT, "%.4f", v)));
                out.printf(Locale.ROOT, "run %s finished in %d ms: %s%n", runId, summary.wallMillis(), metrics);
                out.flush();
            }

            @Override
            public void failed(TrainingFailure f) {
                out.printf(Locale.ROOT, "run %s FAILED %s [%s] at step %d: %s%n  remediation: %s%n", runId, f.errorCode(),
                        f.category().name().toLowerCase(Locale.ROOT), f.step(), f.diagnostic(), f.remediation());
                out.flush();
            }

            @Override
            public void stopped(RunStop stop) {
                out.printf(Locale.ROOT, "run %s STOPPED at step %d: %s%s%n", runId, stop.step(), stop.reason(),
                        stop.checkpoint() == null ? "" : "\n  resume: rerun the same config (checkpoint " + stop.checkpoint().path() + ")");
                out.flush();
            }

            @Override
            public void controlled(ControlEvent e) {
                out.printf(Locale.ROOT, "  %s at step %d (epoch %d)%s%n", switch (e.kind()) {
                    case PAUSED -> "paused";
                    case RESUMED -> "resumed";
                    case AWAITING_APPROVAL -> "waiting for approval";
                    case APPROVED -> "approved";
                    case REJECTED -> "rejected";
                    case APPROVAL_TIMED_OUT -> "no approval decision in time";
                }, e.step(), e.epoch(), e.gate() == null ? "" : ": " + e.gate()
                        + (e.kind() == ControlEvent.Kind.AWAITING_APPROVAL ? " (entrenar runs approve|reject " + runId + ")" : ""));
                out.flush();
            }

            @Override
            public void flush() {
                out.flush();
            }
        };
    }
}
