package io.entrenar.cli;

import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command in the foreground until Ctrl+C, then closes what it started. */
final class Foreground {
    private Foreground() {
    }

    /** Blocks until the JVM is asked to stop; {@code onStop} runs from the shutdown hook, once. */
    static void runUntilStopped(String name, Runnable onStop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                onStop.run();
            } finally {
                stopped.countDown();
            }
        }, "entrenar-" + name + "-shutdown"));
        stopped.await();
    }
}
