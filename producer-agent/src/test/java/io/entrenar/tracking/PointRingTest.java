package io.entrenar.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/**
 * The per-thread ring under a real producer thread and a concurrent consumer: a tiny ring forces
 * many ring-full episodes, and every point must still come out once, in logging order, with its
 * fields (NaN included).
 */
class PointRingTest {
    @Test
    void pointsComeOutOnceInOrderAcrossOverflowEpisodesAndPartialDrains() throws Exception {
        int n = 2_000_000;
        PointRing[] ring = new PointRing[1];
        long[] overflowed = new long[1];
        AtomicBoolean done = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            PointRing r = new PointRing(Thread.currentThread(), 64);
            synchronized (ring) {
                ring[0] = r;
                ring.notifyAll();
            }
            long spilled = 0;
            for (int i = 0; i < n; i++) {
                double v = i % 1000 == 0 ? Double.NaN : i * 0.5;
                if (!r.log(i & 7, i % 3, i, v, -i)) {
                    spilled++;
                }
            }
            overflowed[0] = spilled;
            done.set(true);
        });
        producer.start();
        synchronized (ring) {
            while (ring[0] == null) {
                ring.wait();
            }
        }
        long[] next = {0};
        PointRing.PointSink check = (slots, from, count) -> {
            for (int p = from; p < from + count; p++) {
                long i = next[0]++;
                assertEquals(i, PointSlots.step(slots, p), "points in logging order");
                assertEquals((int) (i & 7), PointSlots.run(slots, p));
                assertEquals((int) (i % 3), PointSlots.name(slots, p));
                assertEquals(-i, PointSlots.time(slots, p));
                if (i % 1000 == 0) {
                    assertTrue(Double.isNaN(PointSlots.value(slots, p)), "NaN kept");
                } else {
                    assertEquals(i * 0.5, PointSlots.value(slots, p));
                }
            }
        };
        // budgets that stop mid-ring and mid-chunk (the drain thread's steps) alternate with whole drains
        int[] budgets = {Integer.MAX_VALUE, 37, 1, 5000};
        int pass = 0;
        while (!done.get() || !ring[0].isEmpty()) {
            int budget = budgets[pass++ % budgets.length];
            int drained = ring[0].drain(check, budget);
            assertTrue(drained <= budget, "a drain stays within its budget");
            if (drained == 0) {
                Thread.onSpinWait();
            }
        }
        producer.join();
        ring[0].drain(check);
        assertEquals(n, next[0], "every point once");
        assertTrue(overflowed[0] > 0, "the 64-point ring overflowed at least once, so both paths were exercised");
        assertEquals(overflowed[0], ring[0].overflowed(), "overflowed points counted by the ring");
        assertEquals(n, ring[0].logged());
        assertTrue(ring[0].isEmpty());
    }
}
