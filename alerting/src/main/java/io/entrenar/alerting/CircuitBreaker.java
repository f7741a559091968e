package io.entrenar.alerting;

/**
 * Per-endpoint breaker: after {@code failureThreshold} consecutive failures the endpoint is left
 * alone for {@code openFor}, then one probe decides. A dead endpoint then costs one request per
 * window instead of a retry storm, and other channels are unaffected. One worker thread only.
 */
final class CircuitBreaker {
    enum State { CLOSED, OPEN, HALF_OPEN }

    private final Routing.BreakerPolicy policy;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAtNanos;

    CircuitBreaker(Routing.BreakerPolicy policy) {
        this.policy = policy;
    }

    /** 0 when a request may go now, else nanoseconds until the next probe. */
    long waitNanos(long nowNanos) {
        if (state != State.OPEN) {
            return 0;
        }
        long reopen = openedAtNanos + policy.openFor().toNanos();
        if (nowNanos >= reopen) {
            state = State.HALF_OPEN;
            return 0;
        }
        return reopen - nowNanos;
    }

    void onSuccess() {
        state = State.CLOSED;
        consecutiveFailures = 0;
    }

    void onFailure(long nowNanos) {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= policy.failureThreshold()) {
            state = State.OPEN;
            openedAtNanos = nowNanos;
        }
    }

    State state() {
        return state;
    }
}
