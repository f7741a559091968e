package io.entrenar.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.entrenar.stack.EmbeddedStack;
import io.entrenar.stack.StackConfig;

/**
 * Overhead of {@code -javaagent:producer-agent.jar} on a real Tribuo training job: pairs of child
 * JVMs running the same job ({@link AgentOverheadChild}) without and with the agent (streaming its
 * run, spans, JFR syscall/IO aggregates and resource samples to an embedded broker), in ABBA order
 * so drift in the machine's load hits both arms alike. Prints, per arm, the steady-state training
 * wall time measured inside the child (a second, timed run after an untimed one) and the whole
 * process's wall time, and the per-pair overhead: mean, median and a 95 % confidence interval of
 * the mean (Student t).
 *
 * <p>Usage: {@code AgentOverheadBenchmark AGENT_JAR [PAIRS] [EPOCHS] [AGENT_OPTIONS]} (defaults 10
 * pairs, 40 epochs of an MLP [128, 64] on digits; extra agent settings such as {@code agent.jfr=false}
 * to see what a part of the agent costs).
 */
public final class AgentOverheadBenchmark {
    private AgentOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: AgentOverheadBenchmark AGENT_JAR [PAIRS] [EPOCHS] [AGENT_OPTIONS]");
        }
        Path agentJar = Path.of(args[0]).toAbsolutePath();
        if (!Files.isRegularFile(agentJar)) {
            throw new IllegalArgumentException("no agent jar at " + agentJar + " (build producer-agent with package)");
        }
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        String extraOptions = args.length > 3 && !args[3].isBlank() ? "," + args[3] : "";
        Path dir = Files.createTempDirectory("entrenar-agent-overhead");
        Path job = dir.resolve("mlp.yaml");
        Files.writeString(job, """
                name: agent-overhead
                model:
                  arch: mlp
                  hidden: [128, 64]
                  activation: relu
                data:
                  source: digits
                  batch_size: 32
                training:
                  epochs: %d
                  output_dir: %s
                optimizer:
                  name: adam
                  lr: 0.003
                seed: 42
                deterministic: true
                """.formatted(epochs, dir.resolve("runs")));
        try (EmbeddedStack stack = EmbeddedStack.start(new StackConfig(Map.of(StackConfig.DATA_DIR_CONFIG, dir.resolve("stack").toString(),
                StackConfig.KAFKA_PORT_CONFIG, 0, StackConfig.REGISTRY_PORT_CONFIG, 0)))) {
            String agentArg = "-javaagent:" + agentJar + "=bootstrap.servers=" + stack.bootstrapServers()
                    + ",schema.registry.url=" + stack.registryUrl() + ",spool.dir=" + dir.resolve("spool") + extraOptions;
            System.out.printf(Locale.ROOT, "job: MLP [128, 64] on digits, %d epochs; %d pairs, ABBA order; agent %s%s%n",
                    epochs, pairs, agentJar.getFileName(), extraOptions.isEmpty() ? "" : " with " + extraOptions.substring(1));
            // one untimed run of each arm: page cache, JIT of the embedded broker's request path
            run(job, null, dir);
            run(job, agentArg, dir);
            double[] trainBase = new double[pairs];
            double[] trainAgent = new double[pairs];
            double[] procBase = new double[pairs];
            double[] procAgent = new double[pairs];
            double[][] phasesBase = new double[3][pairs];
            double[][] phasesAgent = new double[3][pairs];
            for (int i = 0; i < pairs; i++) {
                boolean agentFirst = i % 2 == 1;
                double[] a;
                double[] b;
                if (agentFirst) {
                    a = run(job, agentArg, dir);
                    b = run(job, null, dir);
                } else {
                    b = run(job, null, dir);
                    a = run(job, agentArg, dir);
                }
                trainBase[i] = b[0];
                procBase[i] = b[1];
                trainAgent[i] = a[0];
                procAgent[i] = a[1];
                for (int k = 0; k < 3; k++) {
                    phasesBase[k][i] = b[2 + k];
                    phasesAgent[k][i] = a[2 + k];
                }
                System.out.printf(Locale.ROOT, "pair %2d (%s): training %.3f s vs %.3f s with agent (%+.2f %%); process %.3f s vs %.3f s (%+.2f %%)%n",
                        i + 1, agentFirst ? "agent first" : "agent second", b[0], a[0], pct(a[0], b[0]), b[1], a[1], pct(a[1], b[1]));
            }
            report("training wall time (the second Trainer.run inside the child: steady state)", trainBase, trainAgent);
            report("process wall time (JVM start to exit, both runs, agent start-up and final flush included)", procBase, procAgent);
            String[] phases = {"JVM launch to main()", "first (cold) Trainer.run", "end of main() to process exit"};
            for (int k = 0; k < 3; k++) {
                System.out.printf(Locale.ROOT, "  %s: median %.3f s without, %.3f s with the agent (%+.3f s)%n", phases[k],
                        median(phasesBase[k]), median(phasesAgent[k]), median(phasesAgent[k]) - median(phasesBase[k]));
            }
        }
    }

    private static double pct(double with, double without) {
        return (with - without) / without * 100;
    }

    /**
     * Seconds: {training, process, launch to main(), cold run, end of main() to exit}; the last is
     * measured against the wall clock the child printed, so it is good to a few ms.
     */
    private static double[] run(Path job, String agentArg, Path dir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (agentArg != null) {
            cmd.add(agentArg);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(AgentOverheadChild.class.getName());
        cmd.add(job.toString());
        Path log = dir.resolve("child.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int status = p.waitFor();
        long exitedEpochMs = System.currentTimeMillis();
        double process = (System.nanoTime() - t0) / 1e9;
        String out = Files.readString(log);
        if (status != 0) {
            throw new IllegalStateException("child exited with " + status + ":\n" + out);
        }
        if (agentArg != null && !out.contains("entrenar agent: tracking run")) {
            throw new IllegalStateException("the agent did not start in the child:\n" + out);
        }
        double launch = value(out, "MAIN_START_MS") / 1e3;
        double cold = value(out, "COLD_NANOS") / 1e9;
        double exit = (exitedEpochMs - value(out, "MAIN_END_EPOCH_MS")) / 1e3;
        return new double[] {value(out, "TRAIN_NANOS") / 1e9, process, launch, cold, exit};
    }

    private static long value(String out, String key) {
        String line = out.lines().filter(l -> l.startsWith(key + " ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + key + " line:\n" + out));
        return Long.parseLong(line.substring(key.length() + 1).trim());
    }

    private static void report(String what, double[] base, double[] agent) {
        int n = base.length;
        double[] diff = new double[n];
        for (int i = 0; i < n; i++) {
            diff[i] = pct(agent[i], base[i]);
        }
        double mean = Arrays.stream(diff).average().orElse(Double.NaN);
        double sd = Math.sqrt(Arrays.stream(diff).map(d -> (d - mean) * (d - mean)).sum() / Math.max(1, n - 1));
        double half = tQuantile975(n - 1) * sd / Math.sqrt(n);
        System.out.printf(Locale.ROOT, "%s:%n  without agent median %.3f s, with agent median %.3f s%n"
                        + "  overhead per pair: mean %+.2f %%, median %+.2f %%, 95 %% CI of the mean [%+.2f %%, %+.2f %%] (n=%d, sd %.2f %%)%n",
                what, median(base), median(agent), mean, median(diff), mean - half, mean + half, n, sd);
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Two-sided 95 % Student t critical value for {@code df} degrees of freedom. */
    static double tQuantile975(int df) {
        double[] table = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
            2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
        if (df < 1) {
            return Double.NaN;
        }
        return df <= table.length ? table[df - 1] : df <= 60 ? 2.000 : 1.96;
    }
}
