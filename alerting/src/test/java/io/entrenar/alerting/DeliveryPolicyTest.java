package io.entrenar.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Backoff, jitter, token bucket, circuit breaker and signatures, on explicit clocks. */
class DeliveryPolicyTest {

    @Test
    void backoffGrowsExponentiallyUpToTheCapAndJitterOnlyShortensIt() {
        Routing.RetryPolicy p = new Routing.RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.5, Duration.ofMinutes(1));
        assertEquals(100, p.backoff(1, 0).toMillis());
        assertEquals(200, p.backoff(2, 0).toMillis());
        assertEquals(800, p.backoff(4, 0).toMillis());
        assertEquals(1000, p.backoff(9, 0).toMillis(), "capped at max_backoff");
        assertEquals(400, p.backoff(4, 1.0).toMillis(), "jitter 0.5 takes at most half off");
        assertEquals(600, p.backoff(4, 0.5).toMillis());
    }

    @Test
    void tokenBucketAllowsTheBurstThenTheSustainedRate() {
        TokenBucket bucket = new TokenBucket(new Routing.RateLimit(2, 3), 0);
        assertEquals(0, bucket.tryAcquire(0));
        assertEquals(0, bucket.tryAcquire(0));
        assertEquals(0, bucket.tryAcquire(0));
        assertEquals(500_000_000L, bucket.tryAcquire(0), "the fourth waits one token at 2/s");
        assertEquals(0, bucket.tryAcquire(500_000_000L));
        assertTrue(bucket.tryAcquire(500_000_000L) > 0);
    }

    @Test
    void breakerOpensAfterConsecutiveFailuresThenProbesOnce() {
        CircuitBreaker breaker = new CircuitBreaker(new Routing.BreakerPolicy(3, Duration.ofSeconds(10)));
        long s = 1_000_000_000L;
        breaker.onFailure(1 * s);
        breaker.onFailure(2 * s);
        assertEquals(0, breaker.waitNanos(2 * s), "two failures: still closed");
        breaker.onFailure(3 * s);
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertEquals(9 * s, breaker.waitNanos(4 * s));
        assertEquals(0, breaker.waitNanos(13 * s), "after open_for, one probe may go");
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
        breaker.onFailure(13 * s);
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "a failed probe opens it again at once");
        assertEquals(0, breaker.waitNanos(23 * s));
        breaker.onSuccess();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    }

    @Test
    void signaturesVerifyAndRefuseTamperingAndReplays() {
        byte[] body = "{\"incident_id\":\"i-1\"}".getBytes(StandardCharsets.UTF_8);
        String header = WebhookSignature.sign("s3cret", 1_700_000_000L, body);
        assertTrue(header.matches("t=1700000000,v1=[0-9a-f]{64}"), header);
        assertTrue(WebhookSignature.verify("s3cret", header, body, 1_700_000_100L, 300));
        assertFalse(WebhookSignature.verify("other", header, body, 1_700_000_100L, 300), "wrong secret");
        assertFalse(WebhookSignature.verify("s3cret", header, "{\"incident_id\":\"i-2\"}".getBytes(StandardCharsets.UTF_8),
                1_700_000_100L, 300), "tampered body");
        assertFalse(WebhookSignature.verify("s3cret", header, body, 1_700_000_400L, 300), "replayed after the tolerance");
        assertFalse(WebhookSignature.verify("s3cret", "garbage", body, 1_700_000_000L, 300));
        assertFalse(WebhookSignature.verify("s3cret", null, body, 1_700_000_000L, 300));
    }
}
