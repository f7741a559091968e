package io.entrenar.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import io.entrenar.schemas.Topic;
import io.entrenar.schemas.TopicCatalogue;
import io.entrenar.schemas.TopicCatalogueConfig;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entrenar topics}: the topic catalogue, and creating it on a cluster. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Lists the pipeline's topics; with --bootstrap-servers, creates missing ones on that cluster "
                + "and brings existing ones to the catalogue's settings.")
final class TopicsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Cluster to create the topics on.")
    String bootstrapServers;

    @Option(names = "--partitions", description = "Partitions per topic (default ${DEFAULT-VALUE}).", defaultValue = "6")
    int partitions;

    @Mixin
    ClientSettings.FileOption clientConfig;

    @Option(names = "--replication-factor", description = "Replicas per topic; -1 = broker default (default ${DEFAULT-VALUE}).",
            defaultValue = "-1")
    short replicationFactor;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TopicCatalogueConfig config = new TopicCatalogueConfig(Map.of(
                TopicCatalogueConfig.PARTITIONS_CONFIG, partitions,
                TopicCatalogueConfig.REPLICATION_FACTOR_CONFIG, replicationFactor));
        if (bootstrapServers == null) {
            out.printf("%-26s %-18s %-8s %-10s %s%n", "TOPIC", "VALUE", "CLEANUP", "RETENTION", "CONTENT");
            for (Topic t : Topic.values()) {
                out.printf("%-26s %-18s %-8s %-10s %s%n", t.topicName(),
                        t.valueClass().map(Class::getSimpleName).orElse("(raw bytes)"),
                        t.defaultCleanup().kafkaName(), retention(t.defaultRetentionMs()), t.description());
            }
            return 0;
        }
        try (Admin admin = clientConfig.resolve(bootstrapServers, null).kafkaClients().admin("topics", Map.of())) {
            for (TopicCatalogue.Outcome o : new TopicCatalogue(config).ensure(admin)) {
                out.printf("%-26s %-9s %s%n", o.topic().topicName(), o.action().name().toLowerCase(java.util.Locale.ROOT), o.detail());
            }
        }
        return 0;
    }

    private static String retention(long ms) {
        return ms < 0 ? "forever" : Duration.ofMillis(ms).toDays() + "d";
    }
}
