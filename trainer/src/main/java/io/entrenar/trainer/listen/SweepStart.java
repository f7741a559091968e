package io.entrenar.trainer.listen;

import java.util.List;
import java.util.Map;

/** A sweep: how trials are chosen and the values each swept parameter takes. */
public record SweepStart(String sweepId, String name, String method, int trials, Map<String, List<String>> space) {
    public SweepStart {
        space = Map.copyOf(space);
    }
}
