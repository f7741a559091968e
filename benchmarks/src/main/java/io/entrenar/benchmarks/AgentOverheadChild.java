package io.entrenar.benchmarks;

import java.nio.file.Path;
import java.util.Map;

import io.entrenar.trainer.Trainer;
import io.entrenar.trainer.config.ConfigLoader;
import io.entrenar.trainer.config.TrainingConfig;
import io.entrenar.trainer.listen.TrainingListener;

/**
 * The training JVM of {@link AgentOverheadBenchmark}: a Tribuo training job from a YAML config,
 * with a no-op listener, so the only tracking in the process is the {@code -javaagent} when the
 * parent adds it. It trains once untimed, then once timed and prints {@code TRAIN_NANOS n}, the
 * wall time of the second {@code Trainer.run} (loading and splitting the data, training,
 * validation, test evaluation, model file): the steady-state cost of the agent. A single cold run
 * of a few seconds measures mostly the JIT and the agent's start-up, which overlaps the first
 * seconds of the program (its classes, the Kafka clients, JFR); that shows in the parent's process
 * wall time instead. The warm-up also gives the agent's session time to come up.
 */
public final class AgentOverheadChild {
    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    private AgentOverheadChild() {
    }

    public static void main(String[] args) throws Exception {
        var runtime = java.lang.management.ManagementFactory.getRuntimeMXBean();
        System.out.println("MAIN_START_MS " + runtime.getUptime());
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
        TrainingConfig config = ConfigLoader.load(Path.of(args[0]), Map.of());
        long cold = System.nanoTime();
        train(config);
        System.out.println("COLD_NANOS " + (System.nanoTime() - cold));
        long t0 = System.nanoTime();
        train(config);
        System.out.println("TRAIN_NANOS " + (System.nanoTime() - t0));
        // the JVM's start time, so the parent can tell the exit (shutdown hooks) from the rest
        System.out.println("MAIN_END_EPOCH_MS " + System.currentTimeMillis());
    }

    private static void train(TrainingConfig config) {
        var outcome = new Trainer(TrainingListener.NOOP).run(config).get(0);
        if (!outcome.succeeded()) {
            throw new IllegalStateException("training failed: " + outcome.failure());
        }
    }
}
