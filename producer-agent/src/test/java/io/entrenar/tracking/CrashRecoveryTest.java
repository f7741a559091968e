package io.entrenar.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.entrenar.events.MetricBatch;
import io.entrenar.schemas.Topic;
import io.entrenar.stack.SharedStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM logs paced points and is killed with SIGKILL. What we measure: the child prints
 * "LOGGED s" after logMetric(s) returned; the parent stamps each line when it reads it. Every step
 * whose line was read at least 100 ms before the kill must be in the topic after recovery.
 */
@ExtendWith(SharedStack.class)
class CrashRecoveryTest {
    @TempDir
    Path spool;

    @Test
    void killedWhileBrokerUpRestartReplaysTheSpool() throws Exception {
        Crash crash = runAndKill(SharedStack.stack().bootstrapServers());
        // The next process on the same spool root replays the dead one's spool at start.
        try (Tracker next = Tracker.start(config())) {
            assertTrue(next.flush(Duration.ofSeconds(60)), "replay of the dead process's spool");
        }
        assertAllLoggedArrived(crash);
        assertSpoolGone();
    }

    @Test
    void killedWhileBrokerUnreachableSpoolReplayCommandDeliversEverything() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Crash crash = runAndKill("127.0.0.1:" + closedPort);
        SpoolReplayer.Result result = SpoolReplayer.replay(new TrackerConfig(config()), spool, Duration.ofSeconds(60));
        assertEquals(1, result.spools());
        assertEquals(0, result.remaining());
        assertTrue(result.records() > 0);
        assertAllLoggedArrived(crash);
        assertSpoolGone();
    }

    private record Crash(String runId, long lastStepLoggedBeforeMargin, long lastStepSeen) {
    }

    private Crash runAndKill(String bootstrap) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                bootstrap, SharedStack.stack().registryUrl(), spool.toString()).redirectErrorStream(false)
                .redirectError(Path.of("target", "crash-child-" + System.nanoTime() + ".log").toFile()).start();
        ConcurrentLinkedQueue<long[]> logged = new ConcurrentLinkedQueue<>();
        String[] runId = new String[1];
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("RUN ")) {
                        synchronized (runId) {
                            runId[0] = line.substring(4);
                            runId.notifyAll();
                        }
                    } else if (line.startsWith("LOGGED ")) {
                        logged.add(new long[] {Long.parseLong(line.substring(7)), System.nanoTime()});
                    }
                }
            } catch (IOException e) {
                // the child died
            }
        });
        reader.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (logged.size() < 20 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertTrue(logged.size() >= 20, "child logged points");
        Thread.sleep(700);
        long killNanos = System.nanoTime();
        child.destroyForcibly(); // SIGKILL
        child.waitFor();
        reader.join(5000);
        long beforeMargin = -1;
        long last = -1;
        for (long[] l : logged) {
            if (l[1] <= killNanos - TimeUnit.MILLISECONDS.toNanos(100)) {
                beforeMargin = Math.max(beforeMargin, l[0]);
            }
            last = Math.max(last, l[0]);
        }
        assertTrue(beforeMargin > 0);
        synchronized (runId) {
            return new Crash(runId[0], beforeMargin, last);
        }
    }

    private void assertAllLoggedArrived(Crash crash) {
        List<ConsumerRecord<String, MetricBatch>> batches = TopicReader.read(SharedStack.stack().bootstrapServers(),
                SharedStack.stack().registryUrl(), Topic.METRICS, Set.of(crash.runId()),
                got -> steps(got).size() > crash.lastStepLoggedBeforeMargin()
                        && steps(got).contains(crash.lastStepLoggedBeforeMargin()), Duration.ofSeconds(30));
        TreeSet<Long> steps = steps(batches);
        for (long s = 0; s <= crash.lastStepLoggedBeforeMargin(); s++) {
            assertTrue(steps.contains(s), "step " + s + " logged >100 ms before the kill is missing (last seen "
                    + crash.lastStepSeen() + ", topic holds " + steps.size() + " distinct steps)");
        }
        System.out.printf("crash: %d steps logged >100 ms before SIGKILL, %d in the topic after recovery, "
                + "last step reported %d%n", crash.lastStepLoggedBeforeMargin() + 1, steps.size(), crash.lastStepSeen());
        boolean nan = batches.stream().anyMatch(r -> {
            MetricBatch b = r.value();
            for (int i = 0; i < b.getSteps().size(); i++) {
                if (b.getSteps().get(i) == 3 && Double.isNaN(b.getValues().get(i))) {
                    return true;
                }
            }
            return false;
        });
        assertTrue(nan, "NaN at step 3 preserved through the spool");
    }

    private static TreeSet<Long> steps(List<ConsumerRecord<String, MetricBatch>> batches) {
        TreeSet<Long> steps = new TreeSet<>();
        for (ConsumerRecord<String, MetricBatch> r : batches) {
            steps.addAll(r.value().getSteps());
        }
        return steps;
    }

    private void assertSpoolGone() throws IOException {
        List<Path> left = new ArrayList<>();
        try (Stream<Path> s = Files.walk(spool)) {
            s.filter(p -> SpoolSegment.isSegment(p)).forEach(left::add);
        }
        assertEquals(List.of(), left, "replayed spools are deleted");
    }

    private Map<String, Object> config() {
        return Map.of(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.stack().bootstrapServers(),
                TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, SharedStack.stack().registryUrl(),
                TrackerConfig.SPOOL_DIR_CONFIG, spool.toString());
    }
}
