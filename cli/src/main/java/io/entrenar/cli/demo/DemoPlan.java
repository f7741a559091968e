package io.entrenar.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The jobs the demo trains, longest first so that two run side by side without a straggler at the end. */
record DemoPlan(List<DemoJob> jobs) {
    static final String NAN_ERROR_CODE = "E_NONFINITE_LOSS";
    static final String DIED_ERROR_CODE = "E_PROCESS_DIED";

    /** The run whose Kalman ETA the report's ETA-accuracy section shows. */
    static final String PACED_RUN = "mlp-paced";
    private static final DemoJob PACED = new DemoJob(PACED_RUN, "mlp-paced.yaml", "an MLP paced to ~10 s: live charts, Kalman ETA", 1, null);
    private static final DemoJob SWEEP = new DemoJob("mlp-sweep", "mlp-sweep.yaml", "a 2x2 grid sweep (learning rate x hidden width)", 4, null);
    private static final DemoJob DISTILLATION = new DemoJob("distillation", "distill-student.yaml",
            "a teacher MLP, then a logistic student on its softened outputs (lineage)", 2, null);
    private static final DemoJob FOREST = new DemoJob("random-forest", "random-forest-digits.yaml", "a random forest of 30 trees", 1, null);
    private static final DemoJob LOGISTIC = new DemoJob("logistic", "logistic-digits.yaml", "logistic regression, Adam, cosine warmup", 1, null);
    private static final DemoJob CART = new DemoJob("cart", "cart-digits.yaml", "one CART tree", 1, null);
    private static final DemoJob LINEAR_SGD = new DemoJob("linear-sgd", "linear-sgd-digits.yaml", "linear SGD with momentum", 1, null);
    private static final DemoJob FM = new DemoJob("factorization-machine", "fm-digits.yaml", "a factorization machine, AdaGrad", 1, null);
    private static final DemoJob NAN = new DemoJob("nan", "nan-lr-blowup.yaml", "injected fault: the loss turns NaN at step 30", 1,
            NAN_ERROR_CODE);
    private static final DemoJob CRASH = new DemoJob("crash", "crash.yaml", "injected fault: the JVM halts at step 100", 1, DIED_ERROR_CODE);

    /** Every config file, for writing them out (the student needs its teacher's file beside it). */
    private static final List<String> FILES = List.of("mlp-paced.yaml", "mlp-sweep.yaml", "distill-student.yaml", "distill-teacher.yaml",
            "random-forest-digits.yaml", "logistic-digits.yaml", "cart-digits.yaml", "linear-sgd-digits.yaml", "fm-digits.yaml",
            "nan-lr-blowup.yaml", "crash.yaml");

    DemoPlan {
        jobs = List.copyOf(jobs);
    }

    /** Several model types, a sweep, a distillation pair, one NaN run and one crash. */
    static DemoPlan full() {
        return new DemoPlan(List.of(PACED, SWEEP, DISTILLATION, NAN, FOREST, LOGISTIC, CRASH, CART, LINEAR_SGD, FM));
    }

    /** The shortened demo CI runs: one model, the distillation pair and both injected faults. */
    static DemoPlan quick() {
        return new DemoPlan(List.of(DISTILLATION, NAN, LOGISTIC, CRASH));
    }

    int trainingRuns() {
        return jobs.stream().mapToInt(DemoJob::runs).sum();
    }

    int completedRuns() {
        return jobs.stream().filter(j -> !j.injectsFailure()).mapToInt(DemoJob::runs).sum();
    }

    /** Writes the configs into {@code dir}, where users can read them and rerun one with {@code entrenar train}. */
    static Path writeConfigs(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String file : FILES) {
                try (InputStream in = DemoPlan.class.getResourceAsStream(file)) {
                    if (in == null) {
                        throw new IllegalStateException("the CLI jar lacks the demo config " + file);
                    }
                    Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo configs to " + dir, e);
        }
    }
}
