package io.entrenar.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.entrenar.cli.pipeline.Pipeline;
import io.entrenar.cli.pipeline.PipelineConfig;
import io.entrenar.tracking.Run;
import io.entrenar.tracking.Tracker;

/**
 * The web dashboard's two figures on this machine, in Debian's Chromium (headless, driven by
 * playwright-core through {@code dashboard/web/test/browser.mjs}) against the one-JVM stack (broker,
 * registry, sink on chDB, dashboard):
 * <ul>
 *   <li>page load: navigation to a runs table showing all of {@code runs} runs that ClickHouse holds
 *       (each with 2 metrics x 100 points), cold first, then warm;</li>
 *   <li>chart update latency: {@code run.logMetric} in this process to the browser frame that drew the
 *       point on the live chart (tracker batching, broker, the dashboard's consumer, SSE coalescing at
 *       live.flush.ms, the page), one point every 50 ms.</li>
 * </ul>
 * <pre>scripts/run-benchmark DashboardBenchmark [runs=1000] [draws=200]</pre>
 */
public final class DashboardBenchmark {
    private static final Path WEB = Path.of("dashboard", "web").toAbsolutePath();

    private DashboardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int draws = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        if (!Files.isDirectory(WEB.resolve("node_modules/playwright-core"))) {
            throw new IllegalStateException("no " + WEB + "/node_modules/playwright-core: run ./entrenar setup, from the repository root");
        }
        Path dir = Files.createTempDirectory("entrenar-bench-dashboard");
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("data.dir", dir.toString(), "kafka.port", 0,
                "registry.port", 0, "ops.port", -1, "topics.partitions", 2, "processors.enabled", false,
                "alerting.enabled", false, "sink.http.port", 0, "dashboard.port", 0, "dashboard.runs.limit", runs));
        settings.put("mlflow.enabled", false);
        try (Pipeline pipeline = Pipeline.start(new PipelineConfig(settings));
             Tracker tracker = Tracker.start(Map.of("bootstrap.servers", pipeline.stack().bootstrapServers(),
                     "schema.registry.url", pipeline.stack().registryUrl(), "spool.dir", dir.resolve("spool").toString()))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                Run run = tracker.experiment("bench-" + (i % 10)).run("run-" + i).param("lr", 0.001 * (1 + i % 7)).start();
                for (int step = 0; step < 100; step++) {
                    run.logMetric("loss", 1.0 / (step + 1 + i % 13), step);
                    run.logMetric("accuracy", step / 100.0, step);
                }
                run.finish(Map.of("accuracy", 0.5 + (i % 50) / 100.0));
            }
            tracker.flush(Duration.ofSeconds(120));
            awaitCount(pipeline.clickHouseUrl(), "SELECT count() FROM entrenar.runs WHERE status = 'COMPLETED'", runs);
            System.out.printf("stored %d runs (%d points) in %.1f s%n", runs, runs * 200L, (System.nanoTime() - t0) / 1e9);

            List<String> load = node(List.of("page-load", pipeline.dashboardUrl(), Integer.toString(runs), "6"), null);
            List<Long> ms = load.stream().filter(l -> l.startsWith("load ")).map(l -> Long.parseLong(field(l, "ms"))).toList();
            List<Long> warm = new ArrayList<>(ms.subList(1, ms.size()));
            warm.sort(null);
            System.out.printf("runs page with %d runs in ClickHouse, navigation to %d rows drawn: cold %d ms, warm median %d ms (min %d, max %d, %d loads)%n",
                    runs, runs, ms.getFirst(), warm.get(warm.size() / 2), warm.getFirst(), warm.getLast(), warm.size());

            Run live = tracker.experiment("bench-live").run("live").start();
            live.logMetric("loss", 1.0, 0);
            tracker.flush(Duration.ofSeconds(30));
            List<String> latency = node(List.of("live-latency", pipeline.dashboardUrl(), live.id(), "loss", Integer.toString(draws)), () -> {
                for (int step = 1; step <= draws * 2 && !Thread.currentThread().isInterrupted(); step++) {
                    live.logMetric("loss", 1.0 / (step + 1), step);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            String line = latency.stream().filter(l -> l.startsWith("latency ")).findFirst().orElseThrow();
            System.out.printf("logMetric -> drawn on the live chart (one point per 50 ms, %s draws): p50 %s ms, p90 %s ms, p99 %s ms, max %s ms%n",
                    field(line, "draws"), field(line, "p50"), field(line, "p90"), field(line, "p99"), field(line, "max"));
            live.finish();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Runs a browser scenario; {@code whileOpen} starts once the page reports "opened" and stops when the script ends. */
    private static List<String> node(List<String> args, Runnable whileOpen) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", "test/browser.mjs"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(WEB.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new ArrayList<>();
        Thread worker = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                lines.add(l);
                if (l.startsWith("opened") && whileOpen != null) {
                    worker = Thread.ofPlatform().start(whileOpen);
                }
            }
        }
        if (worker != null) {
            worker.interrupt();
            worker.join();
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("browser scenario " + args.getFirst() + " failed: " + lines);
        }
        return lines;
    }

    private static String field(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException("no " + key + " in " + line);
    }

    private static void awaitCount(String clickHouseUrl, String sql, long expected) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        String got = "";
        while (System.nanoTime() < deadline) {
            got = http.send(HttpRequest.newBuilder(URI.create(clickHouseUrl + "/?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString()).body().strip();
            if (got.equals(Long.toString(expected))) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("timed out: " + sql + " = " + got + ", expected " + expected);
    }
}
