package io.entrenar.trainer.model;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import io.entrenar.trainer.listen.TrainingFailure;
import io.entrenar.trainer.listen.TrainingFailure.Category;

/** Structured failure records, and the faults the trainer can inject on purpose. */
public final class Failures {
    private Failures() {
    }

    /** Thrown inside the step loop when training must stop; carries the structured record. */
    public static final class TrainingHalted extends RuntimeException {
        private final transient TrainingFailure failure;

        public TrainingHalted(TrainingFailure failure) {
            super(failure.errorCode() + ": " + failure.diagnostic());
            this.failure = failure;
        }

        public TrainingFailure failure() {
            return failure;
        }
    }

    public static TrainingFailure of(String code, Category category, String diagnostic, String remediation,
            Throwable cause, long step, int epoch) {
        return new TrainingFailure(code, category, diagnostic, remediation, stack(cause == null ? new Throwable(code) : cause),
                step, epoch);
    }

    public static String stack(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** A real heap OOM: allocates 64 MB blocks until the JVM refuses; the blocks die with this frame. */
    static void exhaustHeap() {
        List<long[]> hog = new ArrayList<>();
        while (true) {
            hog.add(new long[8 << 20]);
        }
    }

    static TrainingFailure outOfMemory(OutOfMemoryError e, long step, int epoch, int batchSize) {
        long maxMb = Runtime.getRuntime().maxMemory() >> 20;
        return of("E_OOM_HEAP", Category.RESOURCE, "Java heap exhausted at step " + step + " (max heap " + maxMb
                        + " MB): " + e.getMessage(),
                "lower data.batch_size (now " + batchSize + ") or the model size, or give the job more heap "
                        + "(compute.heap_plan_mb sets -Xmx for entrenar train)", e, step, epoch);
    }
}
