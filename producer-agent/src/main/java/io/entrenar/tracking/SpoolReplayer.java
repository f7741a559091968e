package io.entrenar.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replays spools left by processes that died (kill -9, power loss) to the broker, in order, then
 * deletes them: what {@code entrenar spool replay DIR} runs. Spools of live processes are skipped
 * (their lock is held). Replays are safe to repeat: consumers deduplicate on {@code event_id}.
 */
public final class SpoolReplayer {
    /** What a replay did. */
    public record Result(int spools, long records, long remaining, List<Path> skippedLive) {
    }

    private SpoolReplayer() {
    }

    /**
     * Replays {@code dir}: a process spool itself, or a root holding process spools.
     *
     * @param timeout how long to keep trying while the broker does not answer
     */
    public static Result replay(TrackerConfig config, Path dir, Duration timeout) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no such spool directory: " + dir);
        }
        List<Path> candidates = isProcessSpool(dir) ? List.of(dir) : Spool.orphans(dir, null);
        if (candidates.isEmpty()) {
            // Nothing to send: no producer or registry client to start (supervisors call this after every job).
            return new Result(0, 0, 0, List.of());
        }
        TrackerStats.Counters counters = new TrackerStats.Counters();
        List<Path> live = new ArrayList<>();
        List<Shipper> shippers = new ArrayList<>();
        long total = 0;
        try (SchemaRegistryClient registry = CachedSchemaRegistryClient.fromConfigs(config.registryProperties());
             Producer<byte[], byte[]> producer = config.clients().producer("replay", withBlocking(config), new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            SchemaIds ids = new SchemaIds(registry);
            for (Path d : candidates) {
                Optional<Spool> spool = Spool.open(d, config.fsyncPolicy(), config.segmentBytes(), Long.MAX_VALUE);
                if (spool.isEmpty()) {
                    live.add(d);
                    continue;
                }
                total += spool.get().endSeq() - spool.get().lowestUnacked();
                shippers.add(new Shipper(spool.get(), producer, ids, counters, config.outageAfterMs(), config.fsyncIntervalMs()));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !shippers.stream().allMatch(Shipper::drained)) {
                shippers.forEach(Shipper::pump);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            producer.flush();
            long remaining = 0;
            for (Shipper s : shippers) {
                remaining += s.backlog();
            }
            return new Result(shippers.size(), total - remaining, remaining, live);
        } finally {
            for (Shipper s : shippers) {
                s.close();
            }
        }
    }

    private static boolean isProcessSpool(Path dir) throws IOException {
        if (Files.exists(dir.resolve(Spool.LOCK_FILE))) {
            return true;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(SpoolSegment::isSegment);
        }
    }

    private static java.util.Map<String, Object> withBlocking(TrackerConfig config) {
        java.util.Map<String, Object> p = config.producerOverrides();
        // No training thread to protect here: waiting for metadata is fine.
        p.put("max.block.ms", TimeUnit.SECONDS.toMillis(10));
        return p;
    }
}
