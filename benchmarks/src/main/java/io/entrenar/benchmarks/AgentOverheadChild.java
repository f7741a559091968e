package io.entrenar.benchmarks;

import java.nio.file.Path;
import java.util.Map;

import io.entrenar.trainer.Trainer;
import io.entrenar.trainer.config.ConfigLoader;
import io.entrenar.trainer.config.TrainingConfig;
import io.entrenar.trainer.listen.TrainingListener;

/**
 * The training JVM of {@link AgentOverheadBenchmark}: one Tribuo training job from a YAML config,
 * with a no-op listener, so the only tracking in the process is the {@code -javaagent} when the
 * parent adds it. Prints {@code TRAIN_NANOS n}: the wall time of {@code Trainer.run} (loading
 * and splitting the data, training, validation, test evaluation, model file), JIT warm-up included
 * as in any real job. Before training it waits until the agent's session is up (its sampler thread
 * exists; at most 60 s; not at all without the agent) and then {@value #SETTLE_MS} ms in both arms,
 * so the training time measures the agent's steady-state cost and not its start-up, which
 * overlaps the first seconds of the program (loading its classes, the Kafka clients, JFR) and
 * shows in the parent's process wall time instead.
 */
public final class AgentOverheadChild {
    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    static final long SETTLE_MS = 2000;

    private AgentOverheadChild() {
    }

    private static boolean agentPresent() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-javaagent:"));
    }

    private static void awaitAgentSession() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline
                && Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("entrenar-agent-sampler"))) {
            Thread.sleep(20);
        }
    }

    public static void main(String[] args) throws Exception {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
        TrainingConfig config = ConfigLoader.load(Path.of(args[0]), Map.of());
        if (agentPresent()) {
            awaitAgentSession();
        }
        Thread.sleep(SETTLE_MS);
        long t0 = System.nanoTime();
        var outcome = new Trainer(TrainingListener.NOOP).run(config).get(0);
        long nanos = System.nanoTime() - t0;
        if (!outcome.succeeded()) {
            throw new IllegalStateException("training failed: " + outcome.failure());
        }
        System.out.println("TRAIN_NANOS " + nanos);
    }
}
