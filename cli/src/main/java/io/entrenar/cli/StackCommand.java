package io.entrenar.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.entrenar.cli.pipeline.Pipeline;
import io.entrenar.cli.pipeline.PipelineConfig;
import io.entrenar.config.ConfigFile;
import io.entrenar.schemas.TopicCatalogue;
import io.entrenar.stack.StackConfig;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entrenar stack}: the whole pipeline in one JVM, in the foreground until Ctrl+C. */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = {"Starts the whole pipeline in one JVM: Kafka broker (KRaft) and schema registry, the ClickHouse sink "
                + "on embedded chDB with its HTTP endpoint, the stream processors, the alert router with a local webhook "
                + "receiver and the web dashboard; prints their addresses and runs until Ctrl+C.",
                "Settings come from --config FILE (key=value), then ENTRENAR_<KEY> environment variables, then options."})
final class StackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (key=value lines).")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default ~/.entrenar).")
    String dataDir;

    @Option(names = "--host", description = "Listen and advertised address (default 127.0.0.1).")
    String host;

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "Broker port (default 9092; 0 = any free port).")
    Integer kafkaPort;

    @Option(names = "--registry-port", paramLabel = "PORT", description = "Schema registry port (default 8081; 0 = any free port).")
    Integer registryPort;

    @Override
    public Integer call() throws InterruptedException {
        PipelineConfig config = config(System.getenv());
        PrintWriter out = spec.commandLine().getOut();
        out.println("Starting the Entrenar embedded stack (data in " + config.stack().dataDir() + ") ...");
        out.flush();
        Pipeline stack = Pipeline.start(config);
        printAddresses(out, stack, config.controlKeysFile());
        Foreground.runUntilStopped("stack", () -> {
            out.println("Stopping the embedded stack ...");
            out.flush();
            stack.close();
            out.println("Stopped.");
            out.flush();
        });
        return 0;
    }

    PipelineConfig config(Map<String, String> env) {
        ConfigFile file = configFile == null ? ConfigFile.empty() : ConfigFile.load(configFile);
        Map<String, Object> options = options();
        Map<String, Object> settings = file.resolve(PipelineConfig.configDef(), PipelineConfig.dynamicPrefixes(), env, options);
        try {
            return new PipelineConfig(settings);
        } catch (ConfigException e) {
            throw file.explain(e, env);
        }
    }

    private Map<String, Object> options() {
        Map<String, Object> options = new HashMap<>();
        options.put(StackConfig.DATA_DIR_CONFIG, dataDir);
        options.put(StackConfig.HOST_CONFIG, host);
        options.put(StackConfig.KAFKA_PORT_CONFIG, kafkaPort);
        options.put(StackConfig.REGISTRY_PORT_CONFIG, registryPort);
        return options;
    }

    private static void printAddresses(PrintWriter out, Pipeline pipeline, java.nio.file.Path controlKeys) {
        out.println();
        out.println("Entrenar embedded stack is up.");
        out.printf("  Kafka bootstrap servers : %s%n", pipeline.stack().bootstrapServers());
        out.printf("  Schema registry         : %s%n", pipeline.stack().registryUrl());
        if (pipeline.clickHouseUrl() != null) {
            out.printf("  ClickHouse HTTP         : %s  (curl '%s/?query=SELECT+count()+FROM+entrenar.metric_points')%n",
                    pipeline.clickHouseUrl(), pipeline.clickHouseUrl());
        }
        if (pipeline.processorsUrl() != null) {
            out.printf("  Processors queries      : %s  (/runs/RUN/stats, /failures/pareto)%n", pipeline.processorsUrl());
        }
        if (pipeline.dashboardUrl() != null) {
            out.printf("  Web dashboard           : %s/%n", pipeline.dashboardUrl());
        }
        if (pipeline.mlflowUrl() != null) {
            out.printf("  MLflow tracking API     : %s  (Python jobs: export MLFLOW_TRACKING_URI=%s)%n", pipeline.mlflowUrl(),
                    pipeline.mlflowUrl());
        }
        if (pipeline.opsUrl() != null) {
            out.printf("  Metrics and health      : %s/metrics  %s/health/ready%n", pipeline.opsUrl(), pipeline.opsUrl());
        }
        if (pipeline.webhookReceiverUrl() != null) {
            out.printf("  Webhook deliveries      : %s/deliveries%n", pipeline.webhookReceiverUrl());
        }
        out.printf("  Control keys            : %s  (runs obey only commands signed with it: ENTRENAR_CONTROL_KEYS_FILE)%n",
                controlKeys);
        out.println("  Topics:");
        for (TopicCatalogue.Outcome o : pipeline.stack().topics()) {
            out.printf("    %-26s %-9s %s%n", o.topic().topicName(), o.action().name().toLowerCase(java.util.Locale.ROOT), o.detail());
        }
        out.println();
        out.println("Press Ctrl+C to stop.");
        out.flush();
    }
}
