package io.entrenar.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.entrenar.events.MetricBatch;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/**
 * The drain thread's batcher, fed ranges of ring slots the way {@link PointRing#drain} hands them
 * over: points of two runs interleaved in one thread's ring end up in each run's own batches, in
 * order, split at {@code flush.max.points}, with their times converted to wall micros.
 */
class MetricBatcherTest {
    @Test
    void interleavedRunsAreSplitIntoTheirOwnBatchesInOrder() throws Exception {
        RunTable runs = new RunTable();
        int a = runs.add("run-a");
        int b = runs.add("run-b");
        MetricNames names = new MetricNames(100);
        int loss = names.idOf("loss");
        int acc = names.idOf("acc");
        WallClock clock = new WallClock();
        List<MetricBatch> out = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        MetricBatcher batcher = new MetricBatcher(runs, names, new LamportClock(), clock, "host:1", 5,
                TimeUnit.MILLISECONDS.toNanos(20), o -> {
                    keys.add(new String(o.key(), java.nio.charset.StandardCharsets.UTF_8));
                    out.add(decode(o));
                }, new TrackerStats.Counters());
        // 3 points of a, 4 of b, 6 of a, 1 of b: stretches of one run, and a stretch longer than a batch
        int[] runOf = {a, a, a, b, b, b, b, a, a, a, a, a, a, b};
        long t0 = System.nanoTime();
        long[] slots = new long[(runOf.length + 2) * PointSlots.LONGS];
        for (int i = 0; i < runOf.length; i++) {
            PointSlots.write(slots, i + 2, runOf[i], i % 2 == 0 ? loss : acc, i, i == 5 ? Double.NaN : i * 0.5, t0 + i * 1_000L);
        }
        batcher.points(slots, 2, 9); // two calls, as a drain that stopped mid-range
        batcher.points(slots, 11, runOf.length - 9);
        batcher.flushDue(System.nanoTime(), true);

        List<Long> stepsA = new ArrayList<>();
        List<Long> stepsB = new ArrayList<>();
        for (int k = 0; k < out.size(); k++) {
            MetricBatch m = out.get(k);
            assertEquals(keys.get(k), m.getRunId(), "keyed by run id");
            assertTrue(m.getSteps().size() <= 5, "flush.max.points respected: " + m.getSteps());
            for (int i = 0; i < m.getSteps().size(); i++) {
                long step = m.getSteps().get(i);
                (m.getRunId().equals("run-a") ? stepsA : stepsB).add(step);
                assertEquals(step % 2 == 0 ? "loss" : "acc", m.getNames().get(m.getNameIds().get(i)));
                assertEquals(clock.microsAt(t0 + step * 1_000L), (long) m.getTimestampsMicros().get(i), "wall micros");
                if (step == 5) {
                    assertTrue(Double.isNaN(m.getValues().get(i)), "NaN kept");
                } else {
                    assertEquals(step * 0.5, m.getValues().get(i));
                }
            }
        }
        assertEquals(Arrays.asList(0L, 1L, 2L, 7L, 8L, 9L, 10L, 11L, 12L), stepsA);
        assertEquals(Arrays.asList(3L, 4L, 5L, 6L, 13L), stepsB);
        assertEquals(3, out.size(), "a: a full batch of 5, then 4 at the final flush; b: 4 + 1 make a full batch");
    }

    private static MetricBatch decode(Outbound o) {
        try {
            return new SpecificDatumReader<>(MetricBatch.class).read(null,
                    DecoderFactory.get().binaryDecoder(o.body(), 0, o.bodyLength(), null));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
