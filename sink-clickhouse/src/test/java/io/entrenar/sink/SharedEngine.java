package io.entrenar.sink;

import io.entrenar.sink.engine.ChdbEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One chDB engine for the whole test JVM (chDB allows one storage path per process), closed when
 * JUnit finishes. Each test class works in its own database ({@link #database(String)}).
 */
public final class SharedEngine {

    private static ChdbEngine engine;

    private SharedEngine() {
    }

    public static synchronized ChdbEngine get(ExtensionContext context) {
        if (engine == null) {
            try {
                Path dir = Files.createTempDirectory("entrenar-sink-test-chdb");
                engine = ChdbEngine.open(dir);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .put("entrenar.chdb", (AutoCloseable) SharedEngine::closeShared);
        }
        return engine;
    }

    private static synchronized void closeShared() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    /** Drops and creates {@code name}, so that every run of a test class starts empty. */
    public static String database(ChdbEngine engine, String name) {
        engine.execute("DROP DATABASE IF EXISTS " + name);
        engine.execute("CREATE DATABASE " + name);
        return name;
    }
}
