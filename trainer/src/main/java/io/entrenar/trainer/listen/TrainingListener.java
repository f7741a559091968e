package io.entrenar.trainer.listen;

/**
 * Where a training job reports what happens. One listener serves a whole process (a single run, a
 * sweep or a distillation pair); {@link #runStarted} hands back the {@link RunListener} that receives
 * that run's events, so per-step calls need no lookup by run id.
 */
public interface TrainingListener extends AutoCloseable {

    /** A listener that discards everything: the baseline of the listener-overhead benchmark. */
    TrainingListener NOOP = start -> RunListener.NOOP;

    RunListener runStarted(RunStart start);

    /** Called once per sweep, before its first trial's {@link #runStarted}. */
    default void sweepStarted(SweepStart sweep) {
    }

    @Override
    default void close() {
    }
}
