package io.entrenar.sink;

import io.entrenar.stack.EmbeddedStack;
import io.entrenar.stack.StackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One embedded stack (broker + registry + topics) per test JVM, closed when JUnit finishes. */
public final class SharedBroker {

    private static EmbeddedStack stack;

    private SharedBroker() {
    }

    public static synchronized EmbeddedStack get(ExtensionContext context) {
        if (stack == null) {
            try {
                stack = EmbeddedStack.start(new StackConfig(Map.of(
                        StackConfig.DATA_DIR_CONFIG, Files.createTempDirectory("entrenar-sink-test-stack").toString(),
                        StackConfig.KAFKA_PORT_CONFIG, 0,
                        StackConfig.REGISTRY_PORT_CONFIG, 0,
                        "topics.partitions", 2)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .put("entrenar.stack", (AutoCloseable) SharedBroker::closeShared);
        }
        return stack;
    }

    private static synchronized void closeShared() {
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }
}
