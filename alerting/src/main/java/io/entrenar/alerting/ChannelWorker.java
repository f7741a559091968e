package io.entrenar.alerting;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import io.entrenar.alerting.Routing.Channel;
import io.entrenar.alerting.Routing.ChannelType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one channel's notifications in order on its own thread, so that a slow or dead endpoint
 * delays only itself. Retries with backoff and jitter, honours Retry-After, waits for the rate
 * limit and the circuit breaker, and dead-letters a notification once its retry budget is spent.
 */
final class ChannelWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelWorker.class);
    private static final String USER_AGENT = "entrenar-alerting/1";

    private final Channel channel;
    private final DeliveryLog log;
    private final DeadLetters deadLetters;
    private final DeliveryStats stats;
    private final HttpClient http;
    private final BlockingQueue<Notification> queue = new LinkedBlockingQueue<>();
    private final TokenBucket rateLimit;
    private final CircuitBreaker breaker;
    private final Random random = new Random();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean busy;

    ChannelWorker(Channel channel, DeliveryLog log, DeadLetters deadLetters, DeliveryStats stats, HttpClient http) {
        this.channel = channel;
        this.log = log;
        this.deadLetters = deadLetters;
        this.stats = stats;
        this.http = http;
        this.rateLimit = new TokenBucket(channel.rateLimit(), System.nanoTime());
        this.breaker = new CircuitBreaker(channel.breaker());
        this.thread = Thread.ofPlatform().name("entrenar-alerting-" + channel.name()).daemon().start(this::run);
    }

    void submit(Notification n) {
        queue.add(n);
    }

    /** Waiting in the queue, plus the one being delivered. */
    int backlog() {
        return queue.size() + (busy ? 1 : 0);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (running) {
            try {
                Notification next = queue.take();
                busy = true;
                try {
                    deliver(next);
                } finally {
                    busy = false;
                }
            } catch (InterruptedException e) {
                return; // pending notifications stay PENDING in the log and resume after a restart
            } catch (RuntimeException e) {
                LOG.error("channel {}: unexpected failure, notification stays pending: {}", channel.name(), e.toString(), e);
            }
        }
    }

    private void deliver(Notification n) throws InterruptedException {
        if (channel.type() == ChannelType.STDERR) {
            System.err.println("entrenar alert: " + n.body());
            log.delivered(n, 1);
            stats.delivered.incrementAndGet();
            return;
        }
        long started = System.nanoTime();
        Duration budget = channel.retry().maxElapsed();
        String lastFailure = "not attempted";
        int attempt;
        for (attempt = 1; attempt <= channel.retry().maxAttempts(); attempt++) {
            waitFor(breaker.waitNanos(System.nanoTime()));
            long wait;
            while ((wait = rateLimit.tryAcquire(System.nanoTime())) > 0) {
                waitFor(wait);
            }
            Attempt result = send(n);
            if (result.delivered()) {
                breaker.onSuccess();
                log.delivered(n, attempt);
                stats.delivered.incrementAndGet();
                return;
            }
            lastFailure = result.failure();
            if (!result.retryable()) {
                break;
            }
            breaker.onFailure(System.nanoTime());
            Duration backoff = result.retryAfter() != null ? min(result.retryAfter(), channel.retry().maxBackoff())
                    : channel.retry().backoff(attempt, random.nextDouble());
            if (attempt == channel.retry().maxAttempts()
                    || Duration.ofNanos(System.nanoTime() - started).plus(backoff).compareTo(budget) > 0) {
                lastFailure = lastFailure + " (retry budget spent after " + attempt + " attempts)";
                giveUp(n, attempt, lastFailure, "RETRIES_EXHAUSTED");
                return;
            }
            stats.retries.incrementAndGet();
            LOG.warn("channel {}: {} failed (attempt {}): {}; retrying in {} ms", channel.name(), n.deliveryId(), attempt,
                    lastFailure, backoff.toMillis());
            waitFor(backoff.toNanos());
        }
        giveUp(n, attempt, lastFailure, "REJECTED"); // the endpoint refused it (4xx): retrying cannot help
    }

    private void giveUp(Notification n, int attempts, String reason, String problem) {
        LOG.error("channel {}: dead-lettering {}: {}", channel.name(), n.deliveryId(), reason);
        deadLetters.send(n, channel.name(), problem, reason);
        log.dead(n, attempts, reason);
        stats.dead.incrementAndGet();
    }

    private Attempt send(Notification n) {
        byte[] body = n.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(channel.url()))
                .timeout(channel.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("X-Entrenar-Delivery", n.deliveryId())
                .header("X-Entrenar-Incident", n.incidentId())
                .header("X-Entrenar-State", n.state())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (channel.secret() != null) {
            request.header(WebhookSignature.HEADER, WebhookSignature.sign(channel.secret(), System.currentTimeMillis() / 1000, body));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int code = response.statusCode();
            if (code / 100 == 2) {
                return Attempt.ok();
            }
            String failure = "HTTP " + code + " from " + channel.shownUrl() + ": " + abbreviate(response.body());
            boolean retryable = code >= 500 || code == 408 || code == 429;
            Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(ChannelWorker::seconds).orElse(null);
            return new Attempt(false, retryable, failure, retryAfter);
        } catch (java.net.http.HttpTimeoutException e) {
            return new Attempt(false, true, "no answer from " + channel.shownUrl() + " within " + channel.timeout().toMillis() + " ms", null);
        } catch (IOException e) {
            return new Attempt(false, true, "cannot reach " + channel.shownUrl() + ": " + e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(false, true, "interrupted", null);
        }
    }

    private void waitFor(long nanos) throws InterruptedException {
        if (nanos > 0) {
            Thread.sleep(Duration.ofNanos(nanos));
        }
        if (!running || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
    }

    private static java.util.Optional<Duration> seconds(String header) {
        try {
            return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty(); // an HTTP date: fall back to our own backoff
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private record Attempt(boolean delivered, boolean retryable, String failure, Duration retryAfter) {
        static Attempt ok() {
            return new Attempt(true, false, null, null);
        }
    }
}
