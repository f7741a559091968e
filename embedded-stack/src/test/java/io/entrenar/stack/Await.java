package io.entrenar.stack;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition, for tests whose clients connect and read in the background. */
public final class Await {
    private Await() {
    }

    /** True as soon as {@code condition} holds; false when it still does not after {@code timeout}. */
    public static boolean until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
