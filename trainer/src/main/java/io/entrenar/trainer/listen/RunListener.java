package io.entrenar.trainer.listen;

/**
 * The events of one run. {@link #step} and {@link #epoch} are called on the training thread: they
 * take primitives only so that an implementation can record them without allocating.
 */
public interface RunListener {

    RunListener NOOP = new RunListener() {
        @Override
        public void step(long step, int epoch, double loss, double learningRate, double gradientNorm) {
        }

        @Override
        public void epoch(int epoch, long step, double trainLoss, double validationLoss, double validationAccuracy,
                double validationMacroF1) {
        }

        @Override
        public void checkpointWritten(Checkpoint checkpoint) {
        }

        @Override
        public void artifactWritten(ModelArtifact artifact) {
        }

        @Override
        public void finished(RunSummary summary) {
        }

        @Override
        public void failed(TrainingFailure failure) {
        }

        @Override
        public void stopped(RunStop stop) {
        }
    };

    /** One optimiser step (after gradient accumulation); {@code gradientNorm} is before clipping. */
    void step(long step, int epoch, double loss, double learningRate, double gradientNorm);

    /** End of an epoch (or of a boosting/bagging round for tree ensembles), on the validation split. */
    void epoch(int epoch, long step, double trainLoss, double validationLoss, double validationAccuracy,
            double validationMacroF1);

    void checkpointWritten(Checkpoint checkpoint);

    void artifactWritten(ModelArtifact artifact);

    void finished(RunSummary summary);

    void failed(TrainingFailure failure);

    /** The run ended STOPPED: a STOP command, or an approval gate that said no. */
    void stopped(RunStop stop);

    /** The loop paused, resumed, or waits at (or passed) an approval gate. */
    default void controlled(ControlEvent event) {
    }

    /** Where this run's commands arrive; {@link RunControl#NONE} for a run nobody can command. */
    default RunControl control() {
        return RunControl.NONE;
    }

    /** Pushes buffered events out; called before an injected hard crash and at the end. */
    default void flush() {
    }
}
