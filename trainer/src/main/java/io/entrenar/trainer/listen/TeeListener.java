package io.entrenar.trainer.listen;

import java.util.List;

/** Sends every event to several listeners, in order. */
public final class TeeListener implements TrainingListener {
    private final List<TrainingListener> listeners;

    public TeeListener(List<TrainingListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public RunListener runStarted(RunStart start) {
        RunListener[] runs = listeners.stream().map(l -> l.runStarted(start)).toArray(RunListener[]::new);
        return new RunListener() {
            @Override
            public void step(long step, int epoch, double loss, double learningRate, double gradientNorm) {
                for (RunListener r : runs) {
                    r.step(step, epoch, loss, learningRate, gradientNorm);
                }
            }

            @Override
            public void epoch(int epoch, long step, double trainLoss, double validationLoss, double validationAccuracy,
                    double validationMacroF1) {
                for (RunListener r : runs) {
                    r.epoch(epoch, step, trainLoss, validationLoss, validationAccuracy, validationMacroF1);
                }
            }

            @Override
            public void checkpointWritten(Checkpoint checkpoint) {
                for (RunListener r : runs) {
                    r.checkpointWritten(checkpoint);
                }
            }

            @Override
            public void artifactWritten(ModelArtifact artifact) {
                for (RunListener r : runs) {
                    r.artifactWritten(artifact);
                }
            }

            @Override
            public void finished(RunSummary summary) {
                for (RunListener r : runs) {
                    r.finished(summary);
                }
            }

            @Override
            public void failed(TrainingFailure failure) {
                for (RunListener r : runs) {
                    r.failed(failure);
                }
            }

            @Override
            public void stopped(RunStop stop) {
                for (RunListener r : runs) {
                    r.stopped(stop);
                }
            }

            @Override
            public void controlled(ControlEvent event) {
                for (RunListener r : runs) {
                    r.controlled(event);
                }
            }

            /** The first listener that can be commanded (the tracked run); one source of commands per run. */
            @Override
            public RunControl control() {
                for (RunListener r : runs) {
                    if (r.control() != RunControl.NONE) {
                        return r.control();
                    }
                }
                return RunControl.NONE;
            }

            @Override
            public void flush() {
                for (RunListener r : runs) {
                    r.flush();
                }
            }
        };
    }

    @Override
    public void sweepStarted(SweepStart sweep) {
        listeners.forEach(l -> l.sweepStarted(sweep));
    }

    @Override
    public void close() {
        listeners.forEach(TrainingListener::close);
    }
}
