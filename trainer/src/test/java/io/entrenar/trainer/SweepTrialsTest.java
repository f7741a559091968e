package io.entrenar.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.entrenar.trainer.config.TrainingConfig.SweepSpec;

class SweepTrialsTest {
    private static SweepSpec spec(String method, int trials) {
        Map<String, List<Object>> space = new LinkedHashMap<>();
        space.put("optimizer.lr", List.of(0.1, 0.01, 0.001));
        space.put("model.hidden", List.of(List.of(32), List.of(64)));
        return new SweepSpec(method, trials, space);
    }

    @Test
    void gridEnumeratesEveryCombinationInDeclaredOrder() {
        List<Map<String, Object>> grid = Trainer.trials(spec("grid", 0), 1);
        assertEquals(6, grid.size());
        assertEquals(Map.of("optimizer.lr", 0.1, "model.hidden", List.of(32)), grid.get(0));
        assertEquals(Map.of("optimizer.lr", 0.1, "model.hidden", List.of(64)), grid.get(1));
        assertEquals(Map.of("optimizer.lr", 0.001, "model.hidden", List.of(64)), grid.get(5));
        assertEquals(4, Trainer.trials(spec("grid", 4), 1).size(), "trials caps a grid");
    }

    @Test
    void randomDrawsAreSeededAndFromTheSpace() {
        List<Map<String, Object>> a = Trainer.trials(spec("random", 20), 7);
        assertEquals(a, Trainer.trials(spec("random", 20), 7));
        assertTrue(!a.equals(Trainer.trials(spec("random", 20), 8)));
        assertEquals(20, a.size());
        for (Map<String, Object> t : a) {
            assertTrue(List.of(0.1, 0.01, 0.001).contains(t.get("optimizer.lr")));
            assertTrue(List.of(List.of(32), List.of(64)).contains(t.get("model.hidden")));
        }
        assertEquals(3, a.stream().map(t -> t.get("optimizer.lr")).distinct().count(), "20 draws cover all 3 rates");
    }
}
