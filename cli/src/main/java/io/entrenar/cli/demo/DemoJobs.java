package io.entrenar.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.entrenar.trainer.TrainProcess;
import io.entrenar.trainer.config.ConfigLoader;
import io.entrenar.trainer.config.TrainingConfig;

/**
 * Trains the demo's jobs, each in its own JVM with the {@code -javaagent} attached and the tracking
 * API streaming into the pipeline, a few side by side. A job's output goes to its log file; the
 * console gets one line per job as it ends.
 */
final class DemoJobs {
    /** How a job ended: the training JVM's exit status and wall time. */
    record Result(DemoJob job, int exitStatus, double seconds, Path log) {
        boolean asPlanned() {
            return job.injectsFailure() ? exitStatus != 0 : exitStatus == 0;
        }
    }

    private final Path configDir;
    private final Path logDir;
    private final TrainProcess.Tracking tracking;
    private final Path agentJar;
    private final String agentExperiment;
    private final int parallel;

    /** @param agentJar the shaded agent jar, or null to train without it */
    DemoJobs(Path configDir, Path logDir, TrainProcess.Tracking tracking, Path agentJar, String agentExperiment, int parallel) {
        this.configDir = configDir;
        this.logDir = logDir;
        this.tracking = tracking;
        this.agentJar = agentJar;
        this.agentExperiment = agentExperiment;
        this.parallel = parallel;
    }

    List<Result> run(List<DemoJob> jobs, PrintWriter out) throws InterruptedException {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + logDir, e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (DemoJob job : jobs) {
                futures.add(pool.submit(() -> {
                    Result r = train(job);
                    synchronized (out) {
                        out.printf(Locale.ROOT, "  %s %-22s %5.1f s  exit %-3d %s%n", r.asPlanned() ? "ok" : "!!", job.name(), r.seconds(),
                                r.exitStatus(), r.asPlanned() ? job.shows() : "UNEXPECTED, see " + r.log());
                        out.flush();
                    }
                    return r;
                }));
            }
            List<Result> results = new ArrayList<>();
            for (Future<Result> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a demo job could not be started: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private Result train(DemoJob job) throws IOException, InterruptedException {
        Path config = configDir.resolve(job.configFile());
        TrainingConfig parsed = ConfigLoader.load(config);
        List<String> jvmArgs = new ArrayList<>();
        if (agentJar != null) {
            // The agent's own run of the JVM: syscalls, resources, GC and the process span.
            jvmArgs.add("-javaagent:" + agentJar + "=bootstrap.servers=" + tracking.bootstrapServers() + ",schema.registry.url="
                    + tracking.registryUrl() + ",spool.dir=" + tracking.spoolDir().toAbsolutePath() + ",agent.experiment="
                    + agentExperiment + ",agent.run.name=" + job.name());
        }
        Path log = logDir.resolve(job.name() + ".log");
        long start = System.nanoTime();
        int status;
        try (PrintWriter to = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
            status = new TrainProcess(parsed, config, null, false, jvmArgs, tracking).run(to, to);
        }
        return new Result(job, status, (System.nanoTime() - start) / 1e9, log);
    }
}
