package io.entrenar.processors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.stack.EmbeddedStack;
import io.entrenar.stack.StackConfig;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real embedded stack (KRaft broker + schema registry + topics) for the whole test JVM: the
 * topology tests use its registry for the Avro serde, the integration tests its broker.
 */
final class RealStack implements BeforeAllCallback {
    private static volatile Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(RealStack.class, k -> start(), Running.class);
    }

    static EmbeddedStack stack() {
        if (running == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(RealStack.class)");
        }
        return running.stack;
    }

    static SchemaRegistryClient registry() {
        stack();
        return running.registry;
    }

    private static synchronized Running start() {
        try {
            Path dir = Files.createTempDirectory("entrenar-processors-stack");
            EmbeddedStack stack = EmbeddedStack.start(new StackConfig(Map.of(
                    StackConfig.DATA_DIR_CONFIG, dir.toString(),
                    StackConfig.KAFKA_PORT_CONFIG, 0,
                    StackConfig.REGISTRY_PORT_CONFIG, 0,
                    "topics.partitions", 2)));
            running = new Running(stack, dir, CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", stack.registryUrl())));
            return running;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Running(EmbeddedStack stack, Path dir, SchemaRegistryClient registry) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            registry.close();
            stack.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
