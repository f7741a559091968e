package io.entrenar.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The drain thread's pass over the rings: a thread with a large backlog does not hold the other
 * threads' points back, and a pass ends after its budget so the loop gets back to commands and the
 * shippers.
 */
class DrainLoopTest {
    @Test
    void aRingWithABacklogDoesNotHoldTheOthersBack() {
        PointRing busy = new PointRing(Thread.currentThread(), 1 << 16);
        PointRing quiet = new PointRing(Thread.currentThread(), 64);
        for (int i = 0; i < 60_000; i++) {
            busy.log(0, 0, i, i, i);
        }
        for (int i = 0; i < 10; i++) {
            quiet.log(1, 0, i, i, i);
        }
        List<Integer> runsHandedOver = new ArrayList<>();
        PointRing.PointSink sink = (slots, from, count) -> {
            for (int p = from; p < from + count; p++) {
                runsHandedOver.add(PointSlots.run(slots, p));
            }
        };
        int drained = DrainLoop.drainRoundRobin(new PointRing[] {busy, quiet}, sink, 64, 1024, () -> false);

        assertEquals(10, runsHandedOver.stream().filter(r -> r == 1).count(), "the quiet ring's points, in the first round");
        assertEquals(64, runsHandedOver.indexOf(1), "after one step of the busy ring");
        assertTrue(drained >= 1024 && drained < 1024 + 2 * 64, "the pass stops after its budget: " + drained);
        assertEquals(60_000 - (drained - 10), busy.size(), "the rest of the backlog waits for the next pass");
        assertEquals(0, quiet.size());
    }

    @Test
    void aPassStopsAsSoonAsTheShipperIsCongested() {
        PointRing ring = new PointRing(Thread.currentThread(), 1 << 12);
        for (int i = 0; i < 1000; i++) {
            ring.log(0, 0, i, i, i);
        }
        int[] looks = {0};
        int drained = DrainLoop.drainRoundRobin(new PointRing[] {ring}, (slots, from, count) -> { }, 64, 1 << 18,
                () -> ++looks[0] > 3);
        assertEquals(3 * 64, drained, "three steps, then the stop condition held");
        assertEquals(1000 - 3 * 64, ring.size());
    }
}
