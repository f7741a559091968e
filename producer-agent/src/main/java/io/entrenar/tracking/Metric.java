package io.entrenar.tracking;

/** One metric of one run with its name already interned: {@code loss.log(value, step)}. */
public final class Metric {
    private final Run run;
    private final int nameId;

    Metric(Run run, int nameId) {
        this.run = run;
        this.nameId = nameId;
    }

    /** Same contract as {@link Run#logMetric}: lock-free, allocation-free, NaN and infinities kept. */
    public void log(double value, long step) {
        run.logById(nameId, value, step);
    }
}
