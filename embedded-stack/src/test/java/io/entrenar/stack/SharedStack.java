package io.entrenar.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded stack (broker + registry + topics) for every test class of the JVM that asks for
 * it: the two cores are shared with the broker, so starting one per class would dominate the run.
 */
public final class SharedStack implements BeforeAllCallback {
    private static volatile Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedStack.class, k -> start(), Running.class);
    }

    public static EmbeddedStack stack() {
        if (running == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SharedStack.class)");
        }
        return running.stack;
    }

    /** A caching registry client of the shared stack, closed with it. */
    public static SchemaRegistryClient registry() {
        stack();
        return running.registry;
    }

    private static synchronized Running start() {
        try {
            Path dir = Files.createTempDirectory("entrenar-shared-stack");
            EmbeddedStack stack = EmbeddedStack.start(new StackConfig(Map.of(
                    StackConfig.DATA_DIR_CONFIG, dir.toString(),
                    StackConfig.KAFKA_PORT_CONFIG, 0,
                    StackConfig.REGISTRY_PORT_CONFIG, 0,
                    "topics.partitions", 2)));
            running = new Running(stack, dir,
                    CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", stack.registryUrl())));
            return running;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closed by JUnit when the root context closes (after the last test class). */
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
