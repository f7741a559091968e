package io.entrenar.trainer.model;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A graceful stop for the training JVM (SIGINT, SIGTERM): the shutdown hook asks, the step loop
 * notices at the next step boundary, writes a checkpoint, reports {@code E_STOPPED} and the process
 * entry point says when everything is flushed, so that the hook can let the JVM go.
 */
public final class StopSignal {
    private static volatile boolean requested;
    private static final CountDownLatch DONE = new CountDownLatch(1);

    private StopSignal() {
    }

    public static void request() {
        requested = true;
    }

    public static boolean requested() {
        return requested;
    }

    /** Called when the job's outcome has been reported and its listener closed. */
    public static void done() {
        DONE.countDown();
    }

    public static boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
        return DONE.await(timeout, unit);
    }
}
