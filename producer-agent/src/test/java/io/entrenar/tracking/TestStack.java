package io.entrenar.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.entrenar.stack.EmbeddedStack;
import io.entrenar.stack.StackConfig;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One embedded stack (real broker, registry, topics) shared by every test class of the suite. */
public final class TestStack implements BeforeAllCallback {
    private static volatile Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(TestStack.class, k -> start(), Running.class);
    }

    static EmbeddedStack stack() {
        return running.stack;
    }

    private static synchronized Running start() {
        try {
            Path dir = Files.createTempDirectory("entrenar-agent-stack");
            EmbeddedStack stack = EmbeddedStack.start(new StackConfig(Map.of(
                    StackConfig.DATA_DIR_CONFIG, dir.toString(),
                    StackConfig.KAFKA_PORT_CONFIG, 0,
                    StackConfig.REGISTRY_PORT_CONFIG, 0,
                    "topics.partitions", 2)));
            running = new Running(stack);
            return running;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Running(EmbeddedStack stack) implements AutoCloseable {
        @Override
        public void close() {
            stack.close();
        }
    }
}
