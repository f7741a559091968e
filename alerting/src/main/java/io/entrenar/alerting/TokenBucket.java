package io.entrenar.alerting;

/**
 * Per-channel rate limit. A limited notification waits for a token instead of being dropped:
 * on-call still hears about every incident, just not in a flood that gets the webhook blocked.
 * Used by one channel worker thread only.
 */
final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    TokenBucket(Routing.RateLimit limit, long nowNanos) {
        this.perNano = limit.perSecond() / 1e9;
        this.capacity = limit.burst();
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    /** Takes a token and returns 0, or returns how many nanoseconds to wait before asking again. */
    long tryAcquire(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) * perNano);
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perNano);
    }
}
