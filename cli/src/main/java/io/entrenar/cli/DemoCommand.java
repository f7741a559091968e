package io.entrenar.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.entrenar.cli.demo.Demo;
import io.entrenar.cli.pipeline.Pipeline;
import io.entrenar.cli.pipeline.PipelineConfig;
import io.entrenar.cli.view.Glyphs;
import io.entrenar.config.ConfigFile;
import io.entrenar.stack.StackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entrenar demo}: the whole pipeline, a plan of real training jobs through it, and what it made of them. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts the embedded pipeline, trains a sweep of real Tribuo jobs on sklearn's digits into it "
                + "(several model types, a 2x2 sweep, a distillation pair, one NaN run, one crash), then prints the runs, "
                + "the Pareto leaderboard, the failure Pareto, the alerts the webhook received, ETA accuracy and SQL to try.",
                "The data directory is emptied first (only one an earlier demo made). Exit status: 0 everything went as "
                        + "planned, 1 something did not land or a job ended unexpectedly."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--keep-running", description = "Leave the pipeline up after the report, until Ctrl+C.")
    boolean keepRunning;

    @Option(names = "--quick", description = "The shortened demo CI runs: logistic regression, the distillation pair, the NaN run "
            + "and the crash.")
    boolean quick;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${user.home}/.entrenar/demo",
            description = "Where the demo's broker, registry, ClickHouse and job logs live (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--free-ports", description = "Listen on free ports instead of 9092, 8081, 8123, 8086, 8080, 5000, 9400 "
            + "(when a stack is already running).")
    boolean freePorts;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "2", description = "Jobs trained side by side (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--no-agent", description = "Train without the -javaagent (by default every job's JVM has it attached).")
    boolean noAgent;

    @Option(names = "--agent-jar", paramLabel = "JAR", description = "The shaded agent jar (default: beside the CLI).")
    Path agentJar;

    @Option(names = "--ascii", description = "Draw tables with ASCII only.")
    boolean ascii;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Demo demo = new Demo(quick, noAgent ? null : AgentJar.locate(agentJar), parallel, Glyphs.choose(ascii, System.getenv()));
        Path dir = dataDir.toAbsolutePath();
        Demo.prepare(dir);
        PipelineConfig config = ConfigFile.resolveConfig(null, PipelineConfig.configDef(), PipelineConfig.dynamicPrefixes(),
                options(dir), PipelineConfig::new);
        out.println("Starting the Entrenar pipeline (data in " + dir + ") ...");
        out.flush();
        Pipeline pipeline = Pipeline.start(config);
        boolean asPlanned;
        try {
            asPlanned = demo.run(pipeline, config, out);
        } catch (InterruptedException | RuntimeException e) {
            pipeline.close();
            throw e;
        }
        if (!keepRunning) {
            pipeline.close();
            out.println("Pipeline stopped; its data stays in " + dir + ". Run with --keep-running to explore it live.");
            out.flush();
            return asPlanned ? 0 : 1;
        }
        out.println("The pipeline keeps running. Press Ctrl+C to stop.");
        out.flush();
        Foreground.runUntilStopped("demo", () -> {
            out.println("Stopping the pipeline ...");
            out.flush();
            pipeline.close();
            out.println("Stopped.");
            out.flush();
        });
        return asPlanned ? 0 : 1;
    }

    private Map<String, Object> options(Path dir) {
        Map<String, Object> options = new HashMap<>();
        options.put(StackConfig.DATA_DIR_CONFIG, dir.toString());
        if (freePorts) {
            options.put(StackConfig.KAFKA_PORT_CONFIG, 0);
            options.put(StackConfig.REGISTRY_PORT_CONFIG, 0);
            options.put(PipelineConfig.SINK_PREFIX + "http.port", 0);
            options.put(PipelineConfig.PROCESSORS_PREFIX + "http.port", 0);
            options.put(io.entrenar.ops.OpsConfig.PORT_CONFIG, 0);
            options.put(PipelineConfig.WEBHOOK_RECEIVER_PORT_CONFIG, 0);
            options.put(PipelineConfig.DASHBOARD_PREFIX + io.entrenar.dashboard.DashboardConfig.PORT_CONFIG, 0);
            options.put(PipelineConfig.MLFLOW_PREFIX + io.entrenar.mlflow.MlflowApiConfig.PORT_CONFIG, 0);
        }
        return options;
    }
}
