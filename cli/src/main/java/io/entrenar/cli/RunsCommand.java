package io.entrenar.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import io.entrenar.cli.watch.Golden;
import io.entrenar.control.ControlPublisher;
import io.entrenar.events.ControlAction;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entrenar runs ...}: views of runs (list, show, watch, promote) and control commands to live runs through {@code entrenar.control.v1}. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Lists, shows and watches runs; promotes them to golden; sends control commands to live runs.",
        subcommands = {RunsListCommand.class, RunsShowCommand.class, RunsDiffCommand.class, RunsWatchCommand.class, RunsPromoteCommand.class,
                RunsCommand.Stop.class, RunsCommand.Pause.class, RunsCommand.Resume.class,
                RunsCommand.Approve.class, RunsCommand.Reject.class})
final class RunsCommand {

    /** Where the control topic and the registry are. */
    static final class Cluster {
        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", defaultValue = "${env:ENTRENAR_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
                description = "Kafka brokers (default ${DEFAULT-VALUE}; env ENTRENAR_BOOTSTRAP_SERVERS).")
        String bootstrapServers;

        @Option(names = "--registry-url", paramLabel = "URL", defaultValue = "${env:ENTRENAR_SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
                description = "Schema registry (default ${DEFAULT-VALUE}; env ENTRENAR_SCHEMA_REGISTRY_URL).")
        String registryUrl;

        @Mixin
        ClientSettings.FileOption clientConfig;

        /** The servers, the registry and the client security keys (--client-config, ENTRENAR_<KEY>). */
        ClientSettings settings() {
            return clientConfig.resolve(bootstrapServers, registryUrl);
        }

        /** Promotes {@code runId} to golden ({@link Golden}); returns where the promotion landed. */
        RecordMetadata promote(String runId, String by) {
            ClientSettings settings = settings();
            try (SchemaRegistryClient registry = CachedSchemaRegistryClient.fromConfigs(settings.registryClientConfigs())) {
                return Golden.promote(settings.kafkaClients(), producerOverrides(), registry, runId, by);
            }
        }

        /** A producer that waits for every replica and gives up within 15 s when the cluster is down. */
        static Map<String, Object> producerOverrides() {
            return Map.of("acks", "all", "enable.idempotence", true,
                    "delivery.timeout.ms", 15_000, "request.timeout.ms", 10_000, "max.block.ms", 15_000);
        }
    }

    abstract static class ControlCommandBase implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Cluster cluster;

        @Parameters(paramLabel = "RUN", description = "Run id.")
        String runId;

        @Option(names = "--reason", description = "Why; shown to the run and recorded with the command.")
        String reason;

        @Option(names = "--by", defaultValue = "${sys:user.name}", description = "Who issues it (default ${DEFAULT-VALUE}).")
        String issuedBy;

        @Option(names = "--control-keys", paramLabel = "FILE", defaultValue = "${env:ENTRENAR_CONTROL_KEYS_FILE:-}",
                description = "Key file that signs the command (default $ENTRENAR_CONTROL_KEYS_FILE, else ~/.entrenar/control.keys, "
                        + "which ./entrenar stack writes in its data directory).")
        String controlKeys;

        abstract ControlAction action();

        @Override
        public Integer call() {
            ClientSettings settings = cluster.settings();
            java.nio.file.Path keysFile = io.entrenar.control.ControlKeys.resolve(controlKeys, System.getenv());
            if (!java.nio.file.Files.exists(keysFile)) {
                throw new IllegalStateException("no control key file at " + keysFile + ": runs obey only signed commands; "
                        + "pass --control-keys <data dir of the stack>/control.keys (or set ENTRENAR_CONTROL_KEYS_FILE)");
            }
            try (SchemaRegistryClient registry = CachedSchemaRegistryClient.fromConfigs(settings.registryClientConfigs());
                 ControlPublisher control = new ControlPublisher(settings.kafkaClients(), Cluster.producerOverrides(), registry,
                         io.entrenar.control.ControlKeys.load(keysFile))) {
                RecordMetadata sent = control.publish(runId, action(), reason, "cli:" + issuedBy, null);
                spec.commandLine().getOut().printf("%s sent to run %s (%s partition %d offset %d)%n",
                        action(), runId, sent.topic(), sent.partition(), sent.offset());
            }
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Asks a run to stop gracefully (it ends STOPPED).")
    static final class Stop extends ControlCommandBase {
        @Override
        ControlAction action() {
            return ControlAction.STOP;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pauses a run at its next step.")
    static final class Pause extends ControlCommandBase {
        @Override
        ControlAction action() {
            return ControlAction.PAUSE;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resumes a paused run.")
    static final class Resume extends ControlCommandBase {
        @Override
        ControlAction action() {
            return ControlAction.RESUME;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Opens the approval gate a run is waiting at.")
    static final class Approve extends ControlCommandBase {
        @Override
        ControlAction action() {
            return ControlAction.APPROVE;
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Refuses the approval a run is waiting for.")
    static final class Reject extends ControlCommandBase {
        @Override
        ControlAction action() {
            return ControlAction.REJECT;
        }
    }
}
