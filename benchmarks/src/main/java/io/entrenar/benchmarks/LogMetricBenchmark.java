package io.entrenar.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.entrenar.tracking.Metric;
import io.entrenar.tracking.Run;
import io.entrenar.tracking.Tracker;
import io.entrenar.tracking.TrackerConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The training thread's cost of recording one metric point: {@code Run.logMetric} (name lookup),
 * {@code Metric.log} (pre-interned handle) and OpenTelemetry SDK {@code DoubleHistogram.record}
 * with pre-built attributes, in the same run. Run with {@code -prof gc} for allocation per op.
 * SampleTime gives percentiles but each sample includes the timer's own cost (two clock reads,
 * about 20–25 ns here); AverageTime divides a timed loop by its calls, which shows the calls' cost.
 *
 * <p>The tracker's drain thread writes to the spool only (the bootstrap address has no broker), so
 * the measurement is the hot path and not Kafka's throughput; the teardown prints how many points
 * found the ring full (the overflow path, which allocates): 0 means every measured call took the ring path.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 100, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 30, time = 100, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class LogMetricBenchmark {
    /** Points the ring holds; an iteration must log fewer (the overflow path is not what is measured). */
    @Param("16777216")
    public int ringCapacity;
    private Path spool;
    private Tracker tracker;
    private Run run;
    private Metric loss;
    private SdkMeterProvider meterProvider;
    private DoubleHistogram histogram;
    private Attributes attributes;
    private long step;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        spool = Files.createTempDirectory("entrenar-bench-spool");
        tracker = Tracker.start(Map.of(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closed,
                TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:" + closed,
                TrackerConfig.SPOOL_DIR_CONFIG, spool.toString(),
                TrackerConfig.SPOOL_FSYNC_CONFIG, "never",
                TrackerConfig.SPOOL_MAX_BYTES_CONFIG, 512L * 1024 * 1024,
                TrackerConfig.RING_CAPACITY_CONFIG, ringCapacity,
                TrackerConfig.FLUSH_MAX_POINTS_CONFIG, 8192));
        run = tracker.experiment("bench").run("logMetric").start();
        loss = run.metric("loss");
        meterProvider = SdkMeterProvider.builder()
                .registerMetricReader(PeriodicMetricReader.builder(new DiscardingExporter()).setInterval(java.time.Duration.ofSeconds(1)).build())
                .build();
        histogram = meterProvider.get("bench").histogramBuilder("loss").build();
        attributes = Attributes.of(AttributeKey.stringKey("run_id"), run.id());
    }

    /**
     * A training loop logs far below the 100M points/s a benchmark loop reaches; a 100 ms iteration
     * logs at most ~10M points into a 16M-point ring, and each iteration starts with the ring
     * drained, so the figures are the steady-state hot path, not the overflow path (a full ring
     * makes every call read the drain thread's index, a cache miss, and allocate overflow chunks).
     */
    @Setup(Level.Iteration)
    public void drainRing() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (tracker.stats().pointsInRing() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        System.out.println();
        System.out.println("tracker after the trial: " + tracker.stats());
        tracker.close();
        meterProvider.close();
        try (var files = Files.walk(spool)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public void logMetric() {
        run.logMetric("loss", 0.25, step++);
    }

    @Benchmark
    public void metricHandleLog() {
        loss.log(0.25, step++);
    }

    /** CPU burnt between two calls in the paced benchmarks; about 0.16 µs here. */
    private static final long PACING_TOKENS = 100;

    /**
     * Paced variants: some work between calls, as a training loop has (a fast one logs a point
     * every few µs at most, not every 10 ns). A flat-out loop writes the ring at several GB/s, so
     * its tail measures memory bandwidth; paced, the tail is the call's own.
     */
    @Benchmark
    public void metricHandleLogPaced() {
        Blackhole.consumeCPU(PACING_TOKENS);
        loss.log(0.25, step++);
    }

    @Benchmark
    public void otelDoubleHistogramRecordPaced() {
        Blackhole.consumeCPU(PACING_TOKENS);
        histogram.record(0.25, attributes);
    }

    /** The paced benchmarks' floor: the pacing and the timer, no recording. */
    @Benchmark
    public long pacingBaseline() {
        Blackhole.consumeCPU(PACING_TOKENS);
        return step++;
    }

    /**
     * The timer's floor: the same step counter with no recording. In SampleTime mode every sample
     * includes two clock reads; subtract this benchmark's percentiles to see a call's own cost.
     */
    @Benchmark
    public long timerBaseline() {
        return step++;
    }

    @Benchmark
    public void otelDoubleHistogramRecord() {
        histogram.record(0.25, attributes);
    }

    /** Collects like a real exporter would be asked to, and throws the data away. */
    static final class DiscardingExporter implements MetricExporter {
        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }
    }
}
