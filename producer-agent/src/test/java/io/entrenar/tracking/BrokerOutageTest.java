package io.entrenar.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.entrenar.events.MetricBatch;
import io.entrenar.schemas.Topic;
import io.entrenar.schemas.TopicCatalogue;
import io.entrenar.schemas.TopicCatalogueConfig;
import io.entrenar.stack.EmbeddedKafka;
import io.entrenar.stack.SharedStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker is stopped while a training thread logs, then restarted on the same port and data.
 * Measured: the slowest logMetric call during the whole episode (the training thread must never
 * wait on Kafka); asserted: every point arrives once the broker is back. The registry lives in
 * the shared stack, so only the data broker goes away.
 */
@ExtendWith(SharedStack.class)
class BrokerOutageTest {
    @TempDir
    Path dir;

    @Test
    void loggingNeverBlocksAndNothingIsLostWhileTheBrokerIsDown() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path logDir = dir.resolve("kafka");
        EmbeddedKafka kafka = EmbeddedKafka.start(logDir, "127.0.0.1", port);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicCatalogue(new TopicCatalogueConfig(Map.of(TopicCatalogueConfig.PARTITIONS_CONFIG, 1))).ensure(admin);
        }
        String bootstrap = kafka.bootstrapServers();
        String runId;
        long n = 0;
        long maxNanos = 0;
        long maxDuringOutage = 0;
        long outageCalls = 0;
        TrackerStats stats;
        try (Tracker tracker = Tracker.start(Map.of(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, SharedStack.stack().registryUrl(),
                TrackerConfig.SPOOL_DIR_CONFIG, dir.resolve("spool").toString(),
                TrackerConfig.OUTAGE_AFTER_MS_CONFIG, 500))) {
            Run run = tracker.experiment("outage").run("r").start();
            runId = run.id();
            Metric loss = run.metric("loss");
            long phaseEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
            // phase 1: broker up; phase 2: broker down (stopped from another thread); phase 3: back up
            Thread stopper = new Thread(() -> kafka.close());
            boolean stopped = false;
            EmbeddedKafka restarted = null;
            long outageStart = 0;
            long outageEnd = Long.MAX_VALUE;
            while (true) {
                long t0 = System.nanoTime();
                loss.log(n == 7 ? Double.NaN : n * 0.5, n);
                long dt = System.nanoTime() - t0;
                maxNanos = Math.max(maxNanos, dt);
                if (outageStart > 0 && t0 < outageEnd) {
                    maxDuringOutage = Math.max(maxDuringOutage, dt);
                    outageCalls++;
                }
                n++;
                if (n % 20 == 0) {
                    Thread.sleep(1);
                }
                long now = System.nanoTime();
                if (!stopped && now > phaseEnd) {
                    stopped = true;
                    outageStart = now;
                    stopper.start();
                    phaseEnd = now + TimeUnit.SECONDS.toNanos(4);
                } else if (stopped && restarted == null && now > phaseEnd) {
                    stopper.join();
                    // restart from another thread so the training loop keeps logging meanwhile
                    EmbeddedKafka[] box = new EmbeddedKafka[1];
                    Thread starter = new Thread(() -> box[0] = EmbeddedKafka.start(logDir, "127.0.0.1", port));
                    starter.start();
                    while (starter.isAlive()) {
                        long t1 = System.nanoTime();
                        loss.log(n * 0.5, n);
                        long d1 = System.nanoTime() - t1;
                        maxDuringOutage = Math.max(maxDuringOutage, d1);
                        maxNanos = Math.max(maxNanos, d1);
                        outageCalls++;
                        n++;
                        if (n % 20 == 0) {
                            Thread.sleep(1);
                        }
                    }
                    restarted = box[0];
                    outageEnd = System.nanoTime();
                    phaseEnd = outageEnd + TimeUnit.MILLISECONDS.toNanos(800);
                } else if (restarted != null && now > phaseEnd) {
                    break;
                }
            }
            run.finish();
            assertTrue(tracker.flush(Duration.ofSeconds(90)), "flush after the broker returned: " + tracker.stats());
            stats = tracker.stats();
            try {
                final long total = n;
                List<ConsumerRecord<String, MetricBatch>> batches = TopicReader.read(bootstrap, SharedStack.stack().registryUrl(), Topic.METRICS, Set.of(runId),
                        got -> distinct(got).size() >= total, Duration.ofSeconds(30));
                TreeSet<Long> steps = distinct(batches);
                assertEquals(n, steps.size(), "every point logged during the episode arrived: " + stats);
                assertEquals(0L, steps.first());
                assertEquals(n - 1, steps.last());
                assertTrue(batches.stream().anyMatch(r -> r.value().getSteps().contains(7L)
                        && Double.isNaN(r.value().getValues().get(r.value().getSteps().indexOf(7L)))), "NaN kept");
            } finally {
                restarted.close();
            }
        }
        System.out.printf("broker outage: %d points, %d logged while the broker was down or restarting; "
                        + "max logMetric latency %.1f us overall, %.1f us during the outage; outages detected %d, "
                        + "events spooled while down %d, replayed %d%n",
                n, outageCalls, maxNanos / 1e3, maxDuringOutage / 1e3, stats.outages(), stats.eventsSpooledWhileDown(),
                stats.eventsReplayed());
        assertTrue(outageCalls > 1000, "the training thread kept logging during the outage: " + outageCalls);
        assertTrue(stats.outages() >= 1, "the outage was detected: " + stats);
        assertTrue(maxDuringOutage < TimeUnit.MILLISECONDS.toNanos(50),
                "logMetric never waits on the broker: max " + maxDuringOutage / 1e3 + " us");
    }

    private static TreeSet<Long> distinct(List<ConsumerRecord<String, MetricBatch>> got) {
        TreeSet<Long> steps = new TreeSet<>();
        got.forEach(r -> steps.addAll(r.value().getSteps()));
        return steps;
    }
}
