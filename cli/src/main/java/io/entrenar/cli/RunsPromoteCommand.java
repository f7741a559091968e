package io.entrenar.cli;

import java.util.concurrent.Callable;

import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entrenar runs promote RUN}: what the g key of {@code runs watch} does, for scripts. */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Promotes a run to golden (spec 4): a RunAnnotated with tag golden=true on entrenar.runs.v1, "
                + "landed in ClickHouse run_events.")
final class RunsPromoteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RunsCommand.Cluster cluster;

    @Parameters(paramLabel = "RUN", description = "Run id.")
    String runId;

    @Option(names = "--by", defaultValue = "${sys:user.name}", description = "Who promotes it (default ${DEFAULT-VALUE}).")
    String promotedBy;

    @Override
    public Integer call() {
        RecordMetadata m = cluster.promote(runId, "cli:" + promotedBy);
        spec.commandLine().getOut().printf("run %s promoted to golden (%s partition %d offset %d)%n", runId, m.topic(), m.partition(), m.offset());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
