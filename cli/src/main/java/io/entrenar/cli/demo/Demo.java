package io.entrenar.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.entrenar.cli.pipeline.Pipeline;
import io.entrenar.cli.pipeline.PipelineConfig;
import io.entrenar.cli.view.Glyphs;
import io.entrenar.trainer.TrainProcess;

/**
 * {@code entrenar demo}: starts the whole pipeline, trains a plan of real jobs into it, waits until
 * everything has landed, and prints what the pipeline made of it. The caller decides whether the
 * pipeline then stays up.
 */
public final class Demo {
    /** Experiment of the training runs, and of the agent's per-JVM runs. */
    public static final String EXPERIMENT = "demo";
    public static final String AGENT_EXPERIMENT = "demo-jvm";
    /** Written into a demo data directory: only such a directory is ever wiped. */
    static final String MARKER = ".entrenar-demo";
    private static final Duration LANDING_TIMEOUT = Duration.ofSeconds(120);

    private final DemoPlan plan;
    private final Path agentJar;
    private final int parallel;
    private final Glyphs glyphs;

    /** @param agentJar the shaded agent jar to attach to every job, or null to train without it */
    public Demo(boolean quick, Path agentJar, int parallel, Glyphs glyphs) {
        this.plan = quick ? DemoPlan.quick() : DemoPlan.full();
        this.agentJar = agentJar;
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be at least 1, got " + parallel);
        }
        this.parallel = parallel;
        this.glyphs = glyphs;
    }

    /**
     * Empties {@code dataDir} for a fresh demo: a directory that does not exist, is empty, or was made
     * by an earlier demo. Anything else is refused, so that a mistyped path never loses data.
     */
    public static void prepare(Path dataDir) {
        try {
            if (Files.isDirectory(dataDir)) {
                boolean empty;
                try (Stream<Path> entries = Files.list(dataDir)) {
                    empty = entries.findAny().isEmpty();
                }
                if (!empty && !Files.exists(dataDir.resolve(MARKER))) {
                    throw new IllegalArgumentException(dataDir + " is not empty and was not made by entrenar demo; "
                            + "choose another --data-dir");
                }
                try (Stream<Path> all = Files.walk(dataDir)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        if (!p.equals(dataDir)) {
                            Files.delete(p);
                        }
                    }
                }
            }
            Files.createDirectories(dataDir);
            Files.writeString(dataDir.resolve(MARKER), "made by entrenar demo; emptied by the next one\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the demo data directory " + dataDir, e);
        }
    }

    /** Trains the plan into the running {@code pipeline} and prints the report; true when everything went as planned. */
    public boolean run(Pipeline pipeline, PipelineConfig config, PrintWriter out) throws InterruptedException {
        long start = System.nanoTime();
        Path dataDir = config.stack().dataDir();
        Path configs = DemoPlan.writeConfigs(dataDir.resolve("jobs"));
        // The demo's own spool: what a crashed job leaves is replayed into this pipeline, never into another one.
        TrainProcess.Tracking tracking = new TrainProcess.Tracking(pipeline.stack().bootstrapServers(), pipeline.stack().registryUrl(),
                EXPERIMENT, dataDir.resolve("spool"), config.controlKeysFile());
        out.printf(Locale.ROOT, "%nTraining %d jobs (%d runs) on sklearn's digits, %d at a time, each in its own JVM%s.%n"
                        + "Configs in %s, job logs in %s%n%n", plan.jobs().size(), plan.trainingRuns(), parallel,
                agentJar == null ? "" : " with the -javaagent attached", configs, dataDir.resolve("logs"));
        out.flush();
        List<DemoJobs.Result> results = new DemoJobs(configs, dataDir.resolve("logs"), tracking, agentJar, AGENT_EXPERIMENT, parallel)
                .run(plan.jobs(), out);
        double trained = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "%nAll jobs ended after %.1f s; waiting for the pipeline to land everything ...%n", trained);
        out.flush();
        List<String> missing = new Landing(pipeline.clickHouse(), config.database(), EXPERIMENT, AGENT_EXPERIMENT)
                .await(plan, pipeline.webhookReceiver(), LANDING_TIMEOUT);
        if (!missing.isEmpty()) {
            out.println("Not everything landed within " + LANDING_TIMEOUT.toSeconds() + " s: missing " + String.join("; ", missing));
        }
        new DemoReport(pipeline.clickHouse(), config.database(), EXPERIMENT, glyphs).print(out, pipeline.webhookReceiver(),
                new DemoReport.Urls(pipeline.dashboardUrl(), pipeline.mlflowUrl(), pipeline.clickHouseUrl(), pipeline.processorsUrl(), pipeline.webhookReceiverUrl(),
                        pipeline.opsUrl(), config.controlKeysFile().toString(), configs.resolve("mlp-paced.yaml").toString()));
        boolean asPlanned = results.stream().allMatch(DemoJobs.Result::asPlanned) && missing.isEmpty();
        out.printf(Locale.ROOT, "%nDemo %s in %.1f s.%n", asPlanned ? "finished" : "finished WITH PROBLEMS (see above)",
                (System.nanoTime() - start) / 1e9);
        out.flush();
        return asPlanned;
    }
}
