package io.entrenar.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import io.entrenar.config.ConfigFile;
import io.entrenar.tracking.SpoolReplayer;
import io.entrenar.tracking.TrackerConfig;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entrenar spool}: the on-disk spool of training processes. */
@Command(name = "spool", mixinStandardHelpOptions = true,
        description = "The write-ahead spool that training processes keep while Kafka is unreachable.",
        subcommands = SpoolCommand.Replay.class)
final class SpoolCommand {

    /** {@code entrenar spool replay DIR}. */
    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Sends the spools of dead processes under DIR (or the one process spool DIR) to Kafka, in order, "
                    + "then deletes them. Spools of live processes are skipped. Safe to repeat: consumers deduplicate on event_id.")
    static final class Replay implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "Spool root (default ~/.entrenar/spool) or one process spool.",
                defaultValue = "${sys:user.home}/.entrenar/spool")
        Path dir;

        @Option(names = "--config", paramLabel = "FILE", description = "Tracker config file (key=value; see README).")
        Path configFile;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT")
        String bootstrapServers;

        @Option(names = "--schema-registry-url", paramLabel = "URL")
        String registryUrl;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long to keep trying while the broker does not answer (default ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            SpoolReplayer.Result r = SpoolReplayer.replay(config(System.getenv()), dir, Duration.ofSeconds(timeoutSeconds));
            for (Path live : r.skippedLive()) {
                out.printf("skipped %s: its process is alive%n", live);
            }
            out.printf("replayed %d records from %d spool(s) in %s; %d remaining%n", r.records(), r.spools(), dir, r.remaining());
            return r.remaining() == 0 ? 0 : 3;
        }

        TrackerConfig config(Map<String, String> env) {
            ConfigFile file = configFile == null ? ConfigFile.empty() : ConfigFile.load(configFile);
            Map<String, Object> options = new HashMap<>();
            options.put(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            options.put(TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
            Map<String, Object> settings = file.resolve(TrackerConfig.configDef(),
                    Set.of(TrackerConfig.PRODUCER_PREFIX, "basic.auth.", "schema.registry."), env, options);
            try {
                return new TrackerConfig(settings);
            } catch (ConfigException e) {
                throw file.explain(e, env);
            }
        }
    }
}
