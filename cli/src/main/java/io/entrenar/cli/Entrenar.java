package io.entrenar.cli;

import io.entrenar.config.ConfigFile;
import io.entrenar.ops.HttpServerDefaults;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code entrenar} command. */
@Command(name = "entrenar",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Entrenar Telemetry: experiment tracking for ML training on Kafka, Kafka Streams and ClickHouse.",
        subcommands = {DemoCommand.class, StackCommand.class, TopicsCommand.class, ProcessorsCommand.class, SinkCommand.class,
                AlertingCommand.class, DashboardCommand.class, MlflowApiCommand.class, ClickHouseCommand.class, RunsCommand.class, LeaderboardCommand.class,
                FailuresCommand.class, SweepsCommand.class, LineageCommand.class, SqlCommand.class, AlertsCommand.class, CompletionCommand.class,
                SpoolCommand.class, AttachCommand.class, TrainCommand.class, ValidateCommand.class,
                CommandLine.HelpCommand.class})
public final class Entrenar {

    public static void main(String[] args) {
        try {
            HttpServerDefaults.apply(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("entrenar: invalid configuration: " + e.getMessage());
            System.exit(2);
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Entrenar());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigFile.InvalidConfigException || e instanceof io.entrenar.alerting.InvalidConfigException) {
                commandLine.getErr().println("entrenar: invalid configuration: " + e.getMessage());
                return 2;
            }
            commandLine.getErr().println("entrenar " + commandLine.getCommandName() + ": " + e.getMessage());
            if (System.getenv("ENTRENAR_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli;
    }
}
