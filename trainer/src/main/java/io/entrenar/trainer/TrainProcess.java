package io.entrenar.trainer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.entrenar.trainer.config.TrainingConfig;

/**
 * Runs a training job in its own JVM (the java of this JVM, this JVM's classpath), so that a crash,
 * an OOM or an attached agent affects only the job: output is streamed line by line, and the
 * child's exit status is returned. A shutdown hook stops the child if this process is stopped.
 */
public final class TrainProcess {
    private final TrainingConfig config;
    private final Path configFile;
    private final Path events;
    private final boolean lock;
    private final List<String> jvmArgs;
    private final List<String> trainArgs;

    public TrainProcess(TrainingConfig config, Path configFile, Path events, boolean lock, List<String> jvmArgs) {
        this(config, configFile, events, lock, jvmArgs, List.of());
    }

    /** @param trainArgs further arguments of {@link TrainMain}, e.g. {@code --track BOOTSTRAP REGISTRY} */
    public TrainProcess(TrainingConfig config, Path configFile, Path events, boolean lock, List<String> jvmArgs,
                        List<String> trainArgs) {
        this.config = config;
        this.configFile = configFile;
        this.events = events;
        this.lock = lock;
        this.jvmArgs = List.copyOf(jvmArgs);
        this.trainArgs = List.copyOf(trainArgs);
    }

    /** The child's command line: {@code compute.heap_plan_mb} becomes {@code -Xmx}; extra JVM arguments come next. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("--sun-misc-unsafe-memory-access=allow");
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
        cmd.addAll(trainArgs);
        return cmd;
    }

    /** Starts the child, copies its stdout/stderr to {@code out}/{@code err}, and returns its exit status. */
    public int run(PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command()).start();
        Thread stopChild = new Thread(child::destroy, "entrenar-train-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        Thread o = pump(child.getInputStream(), out, "entrenar-train-stdout");
        Thread e = pump(child.getErrorStream(), err, "entrenar-train-stderr");
        int status = child.waitFor();
        o.join();
        e.join();
        try {
            Runtime.getRuntime().removeShutdownHook(stopChild);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting; the hook runs and finds the child gone.
        }
        return status;
    }

    private static Thread pump(InputStream in, PrintWriter to, String name) {
        Thread t = new Thread(() -> {
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8); BufferedReader lines = new BufferedReader(r)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    to.println(line);
                    to.flush();
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
