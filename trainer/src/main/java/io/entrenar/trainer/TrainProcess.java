package io.entrenar.trainer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import io.entrenar.trainer.config.TrainingConfig;
import io.entrenar.tracking.ProcessIdentity;
import io.entrenar.tracking.SpoolReplayer;
import io.entrenar.tracking.TrackerConfig;

/**
 * Runs a training job in its own JVM (the java of this JVM, this JVM's classpath), so that a crash,
 * an OOM or an attached agent affects only the job: output is streamed line by line, and the
 * child's exit status is returned. A shutdown hook stops the child if this process is stopped.
 *
 * <p>When the job is tracked and its JVM dies without reporting (killed, halted, crashed), this
 * supervisor records the runs it left open as FAILED with {@code E_PROCESS_DIED} ({@link OrphanedRuns}).
 */
public final class TrainProcess {
    private static final int STDERR_TAIL_LINES = 20;
    private static final java.time.Duration SPOOL_REPLAY_TIMEOUT = java.time.Duration.ofSeconds(30);

    /**
     * Where a tracked job streams its runs.
     *
     * @param spoolDir    the tracker's spool root ({@code spool.dir}), or null for its default
     * @param controlKeys the key file that verifies control commands, handed to the job (its tracker and
     *                    agent) as $ENTRENAR_CONTROL_KEYS_FILE; null leaves the job's own environment
     */
    public record Tracking(String bootstrapServers, String registryUrl, String experiment, Path spoolDir, Path controlKeys) {
        public Tracking(String bootstrapServers, String registryUrl, String experiment) {
            this(bootstrapServers, registryUrl, experiment, null, null);
        }

        Map<String, Object> clientConfigs() {
            return Map.of(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        }

        TrackerConfig trackerConfig() {
            Map<String, Object> configs = new java.util.HashMap<>(clientConfigs());
            configs.put(TrackerConfig.SPOOL_DIR_CONFIG, spoolRoot().toString());
            return new TrackerConfig(configs);
        }

        Path spoolRoot() {
            return spoolDir != null ? spoolDir : Path.of(TrackerConfig.SPOOL_DIR_DEFAULT);
        }
    }

    private final TrainingConfig config;
    private final Path configFile;
    private final Path events;
    private final boolean lock;
    private final List<String> jvmArgs;
    private final Tracking tracking;

    public TrainProcess(TrainingConfig config, Path configFile, Path events, boolean lock, List<String> jvmArgs) {
        this(config, configFile, events, lock, jvmArgs, null);
    }

    /** @param tracking where the job streams its runs ({@code --track}), or null */
    public TrainProcess(TrainingConfig config, Path configFile, Path events, boolean lock, List<String> jvmArgs,
                        Tracking tracking) {
        this.config = config;
        this.configFile = configFile;
        this.events = events;
        this.lock = lock;
        this.jvmArgs = List.copyOf(jvmArgs);
        this.tracking = tracking;
    }

    /** The child's command line: {@code compute.heap_plan_mb} becomes {@code -Xmx}; extra JVM arguments come next. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        // lz4 (Kafka's compression) loads its native library: allowed up front, not warned about on the job's stderr
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (config.compute().heapPlanMb() > 0) {
            cmd.add("-Xmx" + config.compute().heapPlanMb() + "m");
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TrainMain.class.getName());
        cmd.add(configFile.toAbsolutePath().toString());
        if (events != null) {
            cmd.add("--events");
            cmd.add(events.toAbsolutePath().toString());
        }
        if (lock) {
            cmd.add("--lock");
        }
        if (tracking != null) {
            cmd.addAll(List.of("--track", tracking.bootstrapServers(), tracking.registryUrl(), "--experiment", tracking.experiment()));
            if (tracking.spoolDir() != null) {
                cmd.addAll(List.of("--spool-dir", tracking.spoolDir().toAbsolutePath().toString()));
            }
        }
        return cmd;
    }

    /** Starts the child, copies its stdout/stderr to {@code out}/{@code err}, and returns its exit status. */
    public int run(PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        Instant started = Instant.now();
        ProcessBuilder builder = new ProcessBuilder(command());
        if (tracking != null && tracking.controlKeys() != null) {
            builder.environment().put(io.entrenar.control.ControlKeys.FILE_ENV, tracking.controlKeys().toAbsolutePath().toString());
        }
        Process child = builder.start();
        Thread stopChild = new Thread(child::destroy, "entrenar-train-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        Deque<String> stderrTail = new ArrayDeque<>();
        Thread o = pump(child.getInputStream(), out, null, "entrenar-train-stdout");
        Thread e = pump(child.getErrorStream(), err, stderrTail, "entrenar-train-stderr");
        int status = child.waitFor();
        o.join();
        e.join();
        try {
            Runtime.getRuntime().removeShutdownHook(stopChild);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting; the hook runs and finds the child gone.
        }
        if (tracking != null) {
            replaySpool(out, err);
            if (status != TrainMain.OK && status != TrainMain.RUN_STOPPED) {
                reportOrphans(new OrphanedRuns.Death(ProcessIdentity.host(), child.pid(), started, status, List.copyOf(stderrTail)), out, err);
            }
        }
        return status;
    }

    /**
     * Sends what the job spooled but did not send before its JVM ended: a killed JVM leaves its spool
     * behind, and so does one whose broker was slow at exit. When this returns, what the job logged is in Kafka.
     */
    private void replaySpool(PrintWriter out, PrintWriter err) {
        if (!Files.isDirectory(tracking.spoolRoot())) {
            return;
        }
        try {
            SpoolReplayer.Result replayed = SpoolReplayer.replay(tracking.trackerConfig(), tracking.spoolRoot(), SPOOL_REPLAY_TIMEOUT);
            if (replayed.records() > 0) {
                out.println("entrenar: replayed " + replayed.records() + " events that training JVMs spooled but did not send, from " + tracking.spoolRoot());
            }
        } catch (IOException | RuntimeException e) {
            err.println("entrenar: could not replay the spool in " + tracking.spoolRoot() + " (run entrenar spool replay): " + e);
        }
    }

    /** A failed or dead job may have left runs open: end them, so that no run stays RUNNING forever. */
    private void reportOrphans(OrphanedRuns.Death death, PrintWriter out, PrintWriter err) {
        try {
            List<OrphanedRuns.Orphan> orphans = new OrphanedRuns(tracking.trackerConfig()).failAll(death);
            for (OrphanedRuns.Orphan o : orphans) {
                out.println("entrenar: the training JVM died with " + death.describe() + "; " + (o.processRecord()
                        ? "its process record " + o.runId() + " ended FAILED"
                        : "run " + o.runId() + " ('" + o.runName() + "') recorded as FAILED " + OrphanedRuns.ERROR_CODE));
            }
            out.flush();
        } catch (RuntimeException e) {
            err.println("entrenar: the training JVM died with " + death.describe() + " and its open runs could not be ended: " + e);
            err.flush();
        }
    }

    private static Thread pump(InputStream in, PrintWriter to, Deque<String> tail, String name) {
        Thread t = new Thread(() -> {
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8); BufferedReader lines = new BufferedReader(r)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    to.println(line);
                    to.flush();
                    if (tail != null) {
                        // Read by run() only after this thread has been joined.
                        tail.addLast(line);
                        if (tail.size() > STDERR_TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // The child closed its end: nothing more to copy.
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
