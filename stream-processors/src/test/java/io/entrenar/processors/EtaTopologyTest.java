package io.entrenar.processors;

import io.entrenar.stack.SharedStack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.entrenar.events.EtaEstimate;
import io.entrenar.events.RunStatus;
import io.entrenar.schemas.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Kalman ETA against a sequence worked by hand (q = 0.1, r = 0.2, total 1000 steps):
 * <pre>
 * t=1s step 100: z=100 → x=100, P=(0.2·100)²=400, K=1
 * t=2s step 180: z=80, Δt=1 → P⁻=400+(0.1·100)²·1=500, R=(0.2·100)²=400, K=500/900=0.5556,
 *                x=100+0.5556·(80−100)=88.889, P=0.4444·500=222.22
 * t=4s step 380: z=100, Δt=2 → P⁻=222.22+(0.1·88.889)²·2=380.25, R=(0.2·88.889)²=316.05, K=0.54610,
 *                x=88.889+0.5461·11.111=94.957, P=172.594
 *                remaining=(1000−380)/94.957=6.5293 s, σ=6.5293·√172.594/94.957=0.90335 s
 * relative σ 0.138 ≤ confidence 0.15 → predicted total = 4 + 6.5293 = 10.5293 s;
 * actual 12 s → error = |12 − 10.5293| / 10.5293 = 13.968 % (spec 17: error over predicted).
 * </pre>
 */
@ExtendWith(SharedStack.class)
class EtaTopologyTest {
    private static final long T0 = Harness.START.toEpochMilli() * 1000;
    private static final long SECOND = 1_000_000L;

    @Test
    void followsTheHandWorkedSequence() {
        ProcessorsTopology.Settings d = ProcessorsTopology.Settings.defaults();
        EtaSettings eta = new EtaSettings(0.1, 0.2, Duration.ofSeconds(1), 0.15);
        try (Harness h = new Harness(new ProcessorsTopology.Settings(d.stats(), d.andon(), d.andonCheckInterval(), eta, d.leaderboard()))) {
            h.send(Topic.RUNS, "r", Events.started("r", T0, Events.plan(null, 1000L, null, null), null, Map.of()));
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 0, 1, T0).build());
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 100, 1, T0 + SECOND).build());
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 150, 1, T0 + SECOND + SECOND / 2).build());
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 180, 1, T0 + 2 * SECOND).build());
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 380, 1, T0 + 4 * SECOND).build());
            List<EtaEstimate> out = h.read(Topic.ETA);
            assertEquals(3, out.size(), "one estimate per observation; the half-second batch is folded into the next");

            EtaEstimate first = out.get(0);
            assertEquals(100.0, first.getRateStepsPerSec(), 1e-9);
            assertEquals(400.0, first.getEstimateError(), 1e-9);
            assertEquals(1.0, first.getKalmanGain(), 1e-12);
            assertEquals(9.0, first.getPredictedRemainingSecs(), 1e-9);
            assertNull(first.getPredictedTotalSecs(), "not confident yet (relative σ 0.2)");

            EtaEstimate second = out.get(1);
            assertEquals(0.5556, second.getKalmanGain(), 1e-4);
            assertEquals(88.889, second.getRateStepsPerSec(), 1e-3);
            assertEquals(222.22, second.getEstimateError(), 1e-2);

            EtaEstimate third = out.get(2);
            assertEquals(380, third.getStep());
            assertEquals(1000L, third.getTotalSteps());
            assertEquals(0.54610, third.getKalmanGain(), 1e-5);
            assertEquals(94.957, third.getRateStepsPerSec(), 1e-3);
            assertEquals(172.594, third.getEstimateError(), 1e-3);
            assertEquals(6.5293, third.getPredictedRemainingSecs(), 1e-4);
            assertEquals(0.90335, third.getUncertaintySecs(), 1e-5);
            assertEquals(10.5293, third.getPredictedTotalSecs(), 1e-4);

            h.send(Topic.RUNS, "r", Events.finished("r", T0 + 12 * SECOND, RunStatus.COMPLETED, 12 * SECOND, 1000, Map.of(), null, null, null));
            EtaEstimate last = h.<EtaEstimate>read(Topic.ETA).getFirst();
            assertTrue(last.getFinished());
            assertEquals(12.0, last.getActualTotalSecs(), 1e-12);
            assertEquals(10.5293, last.getPredictedTotalSecs(), 1e-4);
            assertEquals(13.968, last.getErrorPct(), 1e-3);
        }
    }

    @Test
    void totalStepsFromParamsWhenThereIsNoPlan() {
        try (Harness h = new Harness()) {
            h.send(Topic.RUNS, "r", Events.started("r", T0, null, null, Map.of("max_steps", "500")));
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 0, 1, T0).build());
            h.send(Topic.METRICS, "r", new Events.Batch("r").point("loss", 50, 1, T0 + 2 * SECOND).build());
            EtaEstimate e = h.<EtaEstimate>read(Topic.ETA).getFirst();
            assertEquals(500L, e.getTotalSteps());
            assertEquals(25.0, e.getRateStepsPerSec(), 1e-9);
            assertEquals(18.0, e.getPredictedRemainingSecs(), 1e-9);
        }
    }
}
