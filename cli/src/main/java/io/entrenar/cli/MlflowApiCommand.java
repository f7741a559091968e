package io.entrenar.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.entrenar.config.ConfigFile;
import io.entrenar.mlflow.MlflowApi;
import io.entrenar.mlflow.MlflowApiConfig;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entrenar mlflow-api}: MLflow's tracking REST API for Python and any-language jobs, until Ctrl+C. */
@Command(name = "mlflow-api", mixinStandardHelpOptions = true,
        description = {"Serves MLflow's tracking REST API 2.0: a job that logs with an MLflow client (mlflow, Lightning, "
                + "Hugging Face, the Node client) sets MLFLOW_TRACKING_URI to it and its runs become runs of the pipeline. "
                + "Writes go to Kafka (durable before each answer), reads come from ClickHouse. Runs until Ctrl+C.",
                "Settings come from --config FILE (key=value), then ENTRENAR_<KEY> environment variables, then options; "
                        + "tracker.* keys go to its tracker."})
final class MlflowApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (key=value lines).")
    Path configFile;

    @Option(names = "--host", description = "Address to listen on (default 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "Port (default 5000 like MLflow; 0 = any free port).")
    Integer port;

    @Option(names = "--clickhouse-url", paramLabel = "URL", description = "ClickHouse HTTP endpoint (default http://127.0.0.1:8123).")
    String clickhouseUrl;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka brokers (default 127.0.0.1:9092).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", description = "Schema registry URL (default http://127.0.0.1:8081).")
    String registryUrl;

    @Option(names = "--artifacts-dir", paramLabel = "DIR", description = "Artifact store behind mlflow-artifacts:/ "
            + "(default ~/.entrenar/mlflow-artifacts).")
    Path artifactsDir;

    @Option(names = "--check", description = "Validate the configuration, print it, and exit without starting.")
    boolean check;

    @Override
    public Integer call() throws InterruptedException {
        MlflowApiConfig config = config(System.getenv());
        PrintWriter out = spec.commandLine().getOut();
        if (check) {
            out.println("mlflow-api configuration OK.");
            config.values().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> out.printf("  %-22s %s%n", e.getKey(),
                            e.getKey().contains("password") || e.getKey().contains("jaas") ? "[hidden]" : e.getValue()));
            out.flush();
            return 0;
        }
        MlflowApi api = MlflowApi.start(config);
        out.println("Entrenar MLflow tracking API: " + api.url() + "  (export MLFLOW_TRACKING_URI=" + api.url() + ")");
        out.println("Writes to " + config.getString(MlflowApiConfig.BOOTSTRAP_SERVERS_CONFIG) + ", reads from "
                + config.getString(MlflowApiConfig.CLICKHOUSE_URL_CONFIG) + ", artifacts in "
                + config.getString(MlflowApiConfig.ARTIFACTS_DIR_CONFIG));
        out.println("Press Ctrl+C to stop.");
        out.flush();
        Foreground.runUntilStopped("mlflow-api", () -> {
            api.close();
            out.println("Stopped.");
            out.flush();
        });
        return 0;
    }

    MlflowApiConfig config(Map<String, String> env) {
        ConfigFile file = configFile == null ? ConfigFile.empty() : ConfigFile.load(configFile);
        Map<String, Object> options = new HashMap<>();
        options.put(MlflowApiConfig.HOST_CONFIG, host);
        options.put(MlflowApiConfig.PORT_CONFIG, port);
        options.put(MlflowApiConfig.CLICKHOUSE_URL_CONFIG, clickhouseUrl);
        options.put(MlflowApiConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        options.put(MlflowApiConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        options.put(MlflowApiConfig.ARTIFACTS_DIR_CONFIG, artifactsDir == null ? null : artifactsDir.toString());
        Map<String, Object> settings = file.resolve(MlflowApiConfig.configDef(), MlflowApiConfig.dynamicPrefixes(), env, options);
        try {
            return new MlflowApiConfig(settings);
        } catch (ConfigException e) {
            throw file.explain(e, env);
        }
    }
}
