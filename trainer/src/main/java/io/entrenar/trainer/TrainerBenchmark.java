package io.entrenar.trainer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.entrenar.trainer.config.ConfigLoader;
import io.entrenar.trainer.config.TrainingConfig;
import io.entrenar.trainer.listen.JsonLinesListener;
import io.entrenar.trainer.listen.RunListener;
import io.entrenar.trainer.listen.RunStart;
import io.entrenar.trainer.listen.TrainingListener;

/**
 * End-to-end trainer figures ({@code scripts/bench-trainer}): training throughput per model type on
 * sklearn's digits, and the cost of the JSON-lines listener against a no-op listener in paired,
 * alternating runs (so that machine noise hits both sides alike).
 */
public final class TrainerBenchmark {
    private TrainerBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        TrainMain.quietTribuo();
        // tmpfs when available: model-file fsyncs would otherwise measure the disk, not the trainer.
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "entrenar-bench")
                : Files.createTempDirectory("entrenar-bench");
        System.out.printf(Locale.ROOT, "entrenar trainer benchmark: %d cores, java %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.println();
        System.out.printf(Locale.ROOT, "%-24s %8s %10s %14s %10s%n", "model (digits)", "epochs", "median s", "samples/s", "test acc");
        String[][] models = {
                {"logistic", "model: {arch: logistic}\ntraining: {epochs: 10}\n"},
                {"linear_sgd", "model: {arch: linear_sgd}\ntraining: {epochs: 10}\noptimizer: {name: momentum, lr: 0.05}\n"},
                {"mlp [64] relu", "model: {arch: mlp, hidden: [64]}\ntraining: {epochs: 10}\noptimizer: {name: adam, lr: 0.003}\n"},
                {"mlp [128,64] relu", "model: {arch: mlp, hidden: [128, 64]}\ntraining: {epochs: 10}\noptimizer: {name: adam, lr: 0.003}\n"},
                {"factorization_machine", "model: {arch: factorization_machine}\ntraining: {epochs: 5}\noptimizer: {name: adagrad, lr: 0.1}\n"},
                {"cart", "model: {arch: cart}\n"},
                {"random_forest 50", "model: {arch: random_forest, trees: 50}\n"},
                {"xgboost 50", "model: {arch: xgboost, trees: 50, max_depth: 6}\n"},
        };
        for (String[] m : models) {
            TrainingConfig config = config(dir, m[0], m[1]);
            boolean trees = !config.model().arch().gradientBased()
                    && config.model().arch() != TrainingConfig.Arch.FACTORIZATION_MACHINE;
            int epochs = trees ? 1 : config.training().epochs();
            run(config, TrainingListener.NOOP); // warm-up
            double[] seconds = new double[3];
            double accuracy = 0;
            for (int i = 0; i < seconds.length; i++) {
                long t0 = System.nanoTime();
                accuracy = run(config, TrainingListener.NOOP);
                seconds[i] = (System.nanoTime() - t0) / 1e9;
            }
            double median = median(seconds);
            System.out.printf(Locale.ROOT, "%-24s %8d %10.3f %14.0f %10.4f%n", m[0], epochs, median,
                    1257.0 * epochs / median, accuracy);
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "listener overhead, paired alternating runs (%d pairs), mlp [64] on digits, 10 epochs, every step reported:%n", pairs);
        TrainingConfig logistic = config(dir, "overhead",
                "model: {arch: mlp, hidden: [64]}\ntraining: {epochs: 10}\noptimizer: {name: adam, lr: 0.003}\n");
        Path events = dir.resolve("events.jsonl");
        double[] noop = new double[pairs];
        double[] json = new double[pairs];
        run(logistic, TrainingListener.NOOP);
        for (int i = 0; i < pairs; i++) {
            // ABBA order, so that drift in machine load does not favour either side.
            for (int side : i % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                long t0 = System.nanoTime();
                if (side == 0) {
                    run(logistic, TrainingListener.NOOP);
                    noop[i] = (System.nanoTime() - t0) / 1e9;
                } else {
                    try (JsonLinesListener l = JsonLinesListener.toFile(events)) {
                        run(logistic, l);
                    }
                    json[i] = (System.nanoTime() - t0) / 1e9;
                }
            }
        }
        double[] diff = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            diff[i] = (json[i] - noop[i]) / noop[i] * 100;
        }
        System.out.printf(Locale.ROOT, "  no-op listener      median %.3f s%n", median(noop));
        System.out.printf(Locale.ROOT, "  JSON-lines listener median %.3f s (%d events per run)%n", median(json),
                Files.readAllLines(events).size());
        int eventCount = Files.readAllLines(events).size();
        System.out.printf(Locale.ROOT, "  paired difference   median %+.2f %% (%.1f us per event)%n", median(diff),
                (median(json) - median(noop)) / eventCount * 1e6);

        // The listener's own work for one run of the paired job, replayed without training.
        RunStart replay = new RunStart("bench", "bench", "-", "mlp", logistic.params(), Map.of("arch", "mlp"), List.of(),
                "digits", "0".repeat(64), 1, null, 0, 0, 400);
        double[] replays = new double[20];
        for (int r = 0; r < replays.length; r++) {
            long t1 = System.nanoTime();
            try (JsonLinesListener l = JsonLinesListener.toFile(events)) {
                RunListener run = l.runStarted(replay);
                for (int e = 1; e <= 10; e++) {
                    for (int st = 1; st <= 40; st++) {
                        run.step((e - 1) * 40L + st, e, 0.5, 0.003, 1.2);
                    }
                    run.epoch(e, e * 40L, 0.4, 0.3, 0.95, 0.95);
                }
                run.finished(new io.entrenar.trainer.listen.RunSummary(Map.of("test_accuracy", 0.96), List.of("0", "1"),
                        new int[][] {{1, 0}, {0, 1}}, 400, 10, 1));
            }
            replays[r] = (System.nanoTime() - t1) / 1e6;
        }
        System.out.printf(Locale.ROOT, "  the same 413 events replayed into a file without training: median %.2f ms per run%n",
                median(replays));

        RunListener sink = JsonLinesListener.toStream(OutputStream.nullOutputStream()).runStarted(new RunStart("bench",
                "bench", "-", "logistic", Map.of(), Map.of(), List.of(), "digits", "", 0, null, 0, 0, 0));
        int calls = 5_000_000;
        for (int i = 0; i < calls; i++) {
            sink.step(i, 1, 0.5 + i * 1e-9, 0.01, 1.25);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            sink.step(i, 1, 0.5 + i * 1e-9, 0.01, 1.25);
        }
        double perCall = (System.nanoTime() - t0) / (double) calls;
        System.out.printf(Locale.ROOT, "  JSON-lines step() cost, formatting into a null stream: %.0f ns per call%n", perCall);
    }

    private static TrainingConfig config(Path dir, String name, String yaml) throws IOException {
        Path file = dir.resolve(name.replaceAll("\\W", "_") + ".yaml");
        String body = yaml.contains("training: {") ? yaml.replace("training: {", "training: {output_dir: runs, ")
                : yaml + "training: {output_dir: runs}\n";
        Files.writeString(file, body + "data: {source: digits}\nseed: 1\ndeterministic: true\n");
        return ConfigLoader.load(file, Map.of());
    }

    private static double run(TrainingConfig config, TrainingListener listener) {
        var outcome = new Trainer(listener).run(config).get(0);
        if (!outcome.succeeded()) {
            throw new IllegalStateException(String.valueOf(outcome.failure()));
        }
        return outcome.metrics().get("test_accuracy");
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

}
