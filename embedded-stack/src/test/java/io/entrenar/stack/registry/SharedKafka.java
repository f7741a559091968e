package io.entrenar.stack.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.entrenar.stack.EmbeddedKafka;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects one real broker shared by every registry test class of the run (each class uses its own
 * schemas topic), because a broker start costs seconds on a two-core machine. JUnit closes it at
 * the end of the run.
 */
final class SharedKafka implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(SharedKafka.class))
                .getOrComputeIfAbsent("broker", key -> Broker.start(), Broker.class).kafka;
    }

    /** Server settings for a test class: its own topic on the shared broker, a free port. */
    static Map<String, Object> serverConfig(EmbeddedKafka kafka, String topic) {
        return Map.of(
                SchemaRegistryServerConfig.LISTENERS_CONFIG, "http://127.0.0.1:0",
                SchemaRegistryServerConfig.KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                SchemaRegistryServerConfig.KAFKASTORE_TOPIC_CONFIG, topic);
    }

    private record Broker(EmbeddedKafka kafka, Path dir) implements AutoCloseable {
        static Broker start() {
            try {
                Path dir = Files.createTempDirectory("registry-test-kafka");
                return new Broker(EmbeddedKafka.start(dir, "127.0.0.1", 0), dir);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws IOException {
            kafka.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
