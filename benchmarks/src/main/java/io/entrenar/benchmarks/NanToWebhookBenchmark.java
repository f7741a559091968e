package io.entrenar.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.entrenar.alerting.WebhookReceiver;
import io.entrenar.cli.pipeline.Pipeline;
import io.entrenar.cli.pipeline.PipelineConfig;
import io.entrenar.tracking.Run;
import io.entrenar.tracking.Tracker;

/**
 * The Andon budget end to end on this machine: {@code run.logMetric("loss", NaN, step)} in a
 * training process → broker → stream processors (EOS) → {@code entrenar.alerts.v1} → alerting →
 * a signed FIRING received by the local webhook receiver. One incident (one run) at a time, after
 * warm-up; prints p50/p90/p99/max.
 *
 * <pre>scripts/run-benchmark NanToWebhookBenchmark [incidents=100]</pre>
 */
public final class NanToWebhookBenchmark {
    private NanToWebhookBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int incidents = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int warmup = 10;
        Path dir = Files.createTempDirectory("entrenar-bench-nan");
        try (Pipeline pipeline = Pipeline.start(new PipelineConfig(Map.of("data.dir", dir.toString(), "kafka.port", 0,
                "registry.port", 0, "webhook.receiver.port", 0, "ops.port", -1, "topics.partitions", 2,
                "sink.enabled", false, "mlflow.enabled", false, "processors.http.port", 0)))) {
            if (!pipeline.processors().awaitRunning(Duration.ofSeconds(120))) {
                throw new IllegalStateException("the processors did not reach RUNNING");
            }
            WebhookReceiver receiver = pipeline.webhookReceiver();
            long[] latencies = new long[incidents];
            try (Tracker tracker = Tracker.start(Map.of("bootstrap.servers", pipeline.stack().bootstrapServers(),
                    "schema.registry.url", pipeline.stack().registryUrl(), "spool.dir", dir.resolve("spool").toString()))) {
                for (int i = 0; i < warmup + incidents; i++) {
                    Run run = tracker.experiment("bench").run("nan-" + i).start();
                    for (long step = 0; step < 20; step++) {
                        run.logMetric("loss", 1.0 / (step + 1), step);
                    }
                    int before = receiver.deliveries().size();
                    long start = System.nanoTime();
                    run.logMetric("loss", Double.NaN, 20);
                    long elapsed = awaitFiring(receiver, before, run.id()) - start;
                    if (i >= warmup) {
                        latencies[i - warmup] = elapsed;
                    }
                    run.finish();
                }
            }
            Arrays.sort(latencies);
            System.out.printf("NaN logged -> signed FIRING on the webhook, %d incidents: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    incidents, ms(latencies, 0.50), ms(latencies, 0.90), ms(latencies, 0.99), latencies[incidents - 1] / 1e6);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** nanoTime when the FIRING of {@code runId} arrived. */
    private static long awaitFiring(WebhookReceiver receiver, int from, String runId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<WebhookReceiver.Delivery> all = receiver.deliveries();
            for (int i = from; i < all.size(); i++) {
                var body = all.get(i).body();
                if (runId.equals(body.path("run_id").asText()) && "FIRING".equals(body.path("state").asText())) {
                    return System.nanoTime();
                }
            }
            Thread.sleep(0, 200_000);
        }
        throw new IllegalStateException("no FIRING for " + runId + " within 30 s");
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
