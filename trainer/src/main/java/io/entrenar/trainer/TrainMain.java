package io.entrenar.trainer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.entrenar.trainer.config.ConfigLoader;
import io.entrenar.trainer.config.InvalidTrainingConfigException;
import io.entrenar.trainer.config.Lockfile;
import io.entrenar.trainer.config.TrainingConfig;
import io.entrenar.trainer.data.DatasetLoader;
import io.entrenar.trainer.listen.ConsoleListener;
import io.entrenar.trainer.listen.JsonLinesListener;
import io.entrenar.trainer.listen.TeeListener;
import io.entrenar.trainer.listen.TrackingListener;
import io.entrenar.trainer.listen.TrainingListener;
import io.entrenar.tracking.Tracker;
import io.entrenar.tracking.TrackerConfig;
import io.entrenar.trainer.model.RunOutcome;
import io.entrenar.trainer.model.StopSignal;

/**
 * The training JVM's entry point ({@code entrenar train} starts it as a child process):
 * {@code TrainMain CONFIG [--events FILE] [--lock] [--track BOOTSTRAP REGISTRY] [--experiment NAME] [--spool-dir DIR]}. Exit status: 0 every run finished, 1 a run
 * failed (its structured failure was reported), 2 the config is invalid, 3 the data is unusable, 4 a
 * run was stopped on purpose (a STOP command or an approval gate) and none failed.
 */
public final class TrainMain {
    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int INVALID_CONFIG = 2;
    public static final int BAD_DATA = 3;
    public static final int RUN_STOPPED = 4;

    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    private TrainMain() {
    }

    /** Tribuo logs every bagged tree and SGD interval at INFO; the listener reports progress instead. */
    static void quietTribuo() {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    public static void main(String[] args) {
        // SIGINT/SIGTERM: let the step loop checkpoint and report E_STOPPED before the JVM goes.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            StopSignal.request();
            try {
                StopSignal.awaitDone(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "entrenar-train-graceful-stop"));
        int status = run(args, System.out, System.err);
        StopSignal.done();
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        quietTribuo();
        Path config = null;
        Path events = null;
        boolean lock = false;
        String trackBootstrap = null;
        String trackRegistry = null;
        String experiment = "trainer";
        String spoolDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> {
                    if (i + 1 >= args.length) {
                        err.println("entrenar train: --events needs a FILE");
                        return INVALID_CONFIG;
                    }
                    events = Path.of(args[++i]);
                }
                case "--lock" -> lock = true;
                case "--spool-dir" -> {
                    if (i + 1 >= args.length) {
                        err.println("entrenar train: --spool-dir needs a DIR");
                        return INVALID_CONFIG;
                    }
                    spoolDir = args[++i];
                }
                case "--experiment" -> {
                    if (i + 1 >= args.length) {
                        err.println("entrenar train: --experiment needs a NAME");
                        return INVALID_CONFIG;
                    }
                    experiment = args[++i];
                }
                case "--track" -> {
                    if (i + 2 >= args.length) {
                        err.println("entrenar train: --track needs BOOTSTRAP_SERVERS and REGISTRY_URL");
                        return INVALID_CONFIG;
                    }
                    trackBootstrap = args[++i];
                    trackRegistry = args[++i];
                }
                default -> {
                    if (config != null || args[i].startsWith("--")) {
                        err.println("entrenar train: unexpected argument " + args[i]);
                        return INVALID_CONFIG;
                    }
                    config = Path.of(args[i]);
                }
            }
        }
        if (config == null) {
            err.println("usage: TrainMain CONFIG [--events FILE] [--lock] [--track BOOTSTRAP_SERVERS REGISTRY_URL] [--experiment NAME] [--spool-dir DIR]");
            return INVALID_CONFIG;
        }
        TrainingConfig cfg;
        try {
            cfg = ConfigLoader.load(config);
            if (lock) {
                Path lockfile = cfg.lockfile() != null ? cfg.lockfile() : Path.of(config + ".lock");
                if (!java.nio.file.Files.exists(lockfile)) {
                    out.println("locked " + cfg.params().size() + " parameters into " + Lockfile.write(cfg, lockfile));
                }
            }
        } catch (InvalidTrainingConfigException e) {
            err.println("entrenar: invalid configuration: " + e.getMessage());
            return INVALID_CONFIG;
        }
        if (cfg.approval().any() && trackBootstrap == null) {
            err.println("entrenar: invalid configuration: " + cfg.source() + ": approval: gates wait for "
                    + "`entrenar runs approve|reject RUN`, which needs a tracked run: train with --track");
            return INVALID_CONFIG;
        }
        List<TrainingListener> listeners = new ArrayList<>();
        listeners.add(new ConsoleListener(out));
        Path eventsFile = events != null ? events : cfg.monitoring().events();
        if (trackBootstrap != null) {
            // Streams the job into the pipeline; the tracker spools to disk if the broker is away.
            java.util.Map<String, Object> settings = new java.util.HashMap<>(java.util.Map.of(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    trackBootstrap, TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, trackRegistry));
            if (spoolDir != null) {
                settings.put(TrackerConfig.SPOOL_DIR_CONFIG, spoolDir);
            }
            listeners.add(TrackingListener.owning(Tracker.start(settings), experiment));
        }
        if (eventsFile != null) {
            listeners.add(JsonLinesListener.toFile(eventsFile));
        }
        try (TrainingListener listener = new TeeListener(listeners)) {
            List<RunOutcome> outcomes = new Trainer(listener).run(cfg);
            out.flush();
            return outcomes.stream().anyMatch(o -> o.failure() != null) ? RUN_FAILED
                    : outcomes.stream().anyMatch(RunOutcome::stopped) ? RUN_STOPPED : OK;
        } catch (InvalidTrainingConfigException e) {
            err.println("entrenar: invalid configuration: " + e.getMessage());
            return INVALID_CONFIG;
        } catch (DatasetLoader.DataException e) {
            err.println("entrenar: bad data: " + e.getMessage());
            return BAD_DATA;
        }
    }
}
