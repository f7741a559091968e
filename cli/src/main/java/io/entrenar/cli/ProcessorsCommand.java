package io.entrenar.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.entrenar.config.ConfigFile;
import io.entrenar.processors.ProcessorsApp;
import io.entrenar.processors.ProcessorsConfig;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entrenar processors}: the stream processors (stats, Andon, ETA, leaderboards) until Ctrl+C. */
@Command(name = "processors", mixinStandardHelpOptions = true,
        description = {"Runs the Kafka Streams processors (exactly once): rolling statistics, Andon alerts and STOP commands, "
                + "Kalman ETA, Pareto leaderboards and the failure Pareto, with an HTTP/JSON query endpoint. "
                + "Start more instances with the same application.id to scale out.",
                "Settings come from --config FILE (key=value), then ENTRENAR_<KEY> environment variables, then options."})
final class ProcessorsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (key=value lines).")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL", description = "Schema registry URL.")
    String registryUrl;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Query endpoint port (default 8086; 0 = any free port).")
    Integer httpPort;

    @Option(names = "--andon-rules", paramLabel = "FILE", description = "YAML file of Andon rules (default: built-in rules).")
    Path andonRules;

    @Option(names = "--check", description = "Validate the configuration and the Andon rules, print them, and exit.")
    boolean check;

    @Override
    public Integer call() throws InterruptedException {
        ProcessorsConfig config = config(System.getenv());
        PrintWriter out = spec.commandLine().getOut();
        if (check) {
            out.println("Configuration OK.");
            config.values().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> out.printf("  %-28s %s%n", e.getKey(), e.getValue()));
            out.flush();
            return 0;
        }
        ProcessorsApp app = ProcessorsApp.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping the processors ...");
            out.flush();
            app.close();
            out.println("Stopped.");
            out.flush();
            stopped.countDown();
        }, "entrenar-processors-shutdown"));
        out.println("Entrenar processors are starting.");
        out.printf("  Query endpoint : %s  (/runs/{run}/stats, /runs/{run}/history?metric=loss&n=100, /failures/pareto)%n", app.httpUrl());
        app.opsUrl().ifPresent(url -> out.printf("  Metrics, health: %s/metrics  %s/health/ready%n", url, url));
        out.println("Press Ctrl+C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    ProcessorsConfig config(Map<String, String> env) {
        ConfigFile file = configFile == null ? ConfigFile.empty() : ConfigFile.load(configFile);
        Map<String, Object> options = new HashMap<>();
        options.put(ProcessorsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        options.put(ProcessorsConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        options.put(ProcessorsConfig.HTTP_PORT_CONFIG, httpPort);
        options.put(ProcessorsConfig.ANDON_RULES_FILE_CONFIG, andonRules == null ? null : andonRules.toString());
        Map<String, Object> settings = file.resolve(ProcessorsConfig.configDef(), ProcessorsConfig.dynamicPrefixes(), env, options);
        Object rules = settings.get(ProcessorsConfig.ANDON_RULES_FILE_CONFIG);
        if (andonRules == null && configFile != null && rules instanceof String r && !r.isBlank() && !Path.of(r).isAbsolute()
                && !env.containsKey(ConfigFile.envName(ProcessorsConfig.ANDON_RULES_FILE_CONFIG))) {
            // A rules file named in the config file is relative to that file, not to the working directory.
            Path parent = configFile.toAbsolutePath().getParent();
            settings.put(ProcessorsConfig.ANDON_RULES_FILE_CONFIG, parent.resolve(r).toString());
        }
        try {
            return new ProcessorsConfig(settings);
        } catch (ConfigException e) {
            throw file.explain(e, env);
        }
    }
}
