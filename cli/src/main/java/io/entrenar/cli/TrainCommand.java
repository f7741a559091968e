package io.entrenar.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.entrenar.trainer.TrainProcess;
import io.entrenar.trainer.config.ConfigLoader;
import io.entrenar.trainer.config.InvalidTrainingConfigException;
import io.entrenar.trainer.config.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entrenar train FILE}: validates the YAML here, then trains in a child JVM and exits with its status. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains what a YAML config describes (one run, a sweep or a distillation pair) in its own JVM.",
                "ENTRENAR_TRAIN_<SECTION>_<KEY> environment variables override config values.",
                "Exit status: 0 finished, 1 a run failed, 2 invalid config, 3 unusable data, other: the JVM died."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Training config (YAML).")
    Path file;

    @Option(names = "--events", paramLabel = "FILE", description = "Also write every event as JSON lines to FILE.")
    Path events;

    @Option(names = "--jvm-arg", paramLabel = "ARG", description = "Extra argument for the training JVM (repeatable), e.g. -javaagent:agent.jar.")
    List<String> jvmArgs = new ArrayList<>();

    @Option(names = "--track", description = "Stream the job into the pipeline through the tracking API "
            + "(runs, metrics, artifacts, failures, lineage); runs left open by a JVM that dies are recorded as FAILED E_PROCESS_DIED.")
    boolean track;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", defaultValue = "${env:ENTRENAR_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka brokers for --track (default ${DEFAULT-VALUE}: the embedded stack).")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL", defaultValue = "${env:ENTRENAR_SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
            description = "Schema registry for --track (default ${DEFAULT-VALUE}).")
    String registryUrl;

    @Option(names = "--experiment", paramLabel = "NAME", defaultValue = "trainer",
            description = "Experiment the tracked runs belong to (default ${DEFAULT-VALUE}).")
    String experiment;

    @Option(names = "--control-keys", paramLabel = "FILE", defaultValue = "${env:ENTRENAR_CONTROL_KEYS_FILE:-}",
            description = "Key file the job verifies control commands with (default $ENTRENAR_CONTROL_KEYS_FILE, else "
                    + "~/.entrenar/control.keys: the default stack's; the demo's is <data dir>/control.keys).")
    String controlKeys;

    @Option(names = "--lock", description = "Pin every resolved parameter into the config's lockfile (or FILE.lock) if it does not exist yet.")
    boolean lock;

    @Override
    public Integer call() throws Exception {
        TrainingConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (InvalidTrainingConfigException e) {
            spec.commandLine().getErr().println("entrenar: invalid configuration: " + e.getMessage());
            return 2;
        }
        TrainProcess.Tracking tracking = track ? new TrainProcess.Tracking(bootstrapServers, registryUrl, experiment, null,
                io.entrenar.control.ControlKeys.resolve(controlKeys, System.getenv())) : null;
        return new TrainProcess(config, file, events, lock, jvmArgs, tracking)
                .run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
