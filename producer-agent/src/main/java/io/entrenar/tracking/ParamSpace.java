package io.entrenar.tracking;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The parameters a sweep explores (spec 10): discrete choices, or numeric ranges (uniform or
 * log-uniform) that a grid samples at {@code gridPoints} values.
 */
public final class ParamSpace {
    private final Map<String, Dimension> dimensions = new LinkedHashMap<>();

    sealed interface Dimension permits Choice, Range {
        List<Object> grid();

        Object sample(Random random);
    }

    record Choice(List<Object> values) implements Dimension {
        public List<Object> grid() {
            return values;
        }

        public Object sample(Random random) {
            return values.get(random.nextInt(values.size()));
        }
    }

    record Range(double min, double max, boolean log, int gridPoints) implements Dimension {
        public List<Object> grid() {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < gridPoints; i++) {
                double f = gridPoints == 1 ? 0 : (double) i / (gridPoints - 1);
                out.add(at(f));
            }
            return out;
        }

        public Object sample(Random random) {
            return at(random.nextDouble());
        }

        private double at(double f) {
            return log ? Math.exp(Math.log(min) + f * (Math.log(max) - Math.log(min))) : min + f * (max - min);
        }
    }

    public ParamSpace choice(String name, Object... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("param '" + name + "': a choice needs at least one value");
        }
        for (Object v : values) {
            Validation.paramValue(name, v);
        }
        dimensions.put(Validation.key("param name", name), new Choice(List.of(values)));
        return this;
    }

    public ParamSpace uniform(String name, double min, double max, int gridPoints) {
        return range(name, min, max, false, gridPoints);
    }

    /** Log-uniform, for learning rates and regularisation strengths; needs {@code 0 < min}. */
    public ParamSpace logUniform(String name, double min, double max, int gridPoints) {
        if (!(min > 0)) {
            throw new IllegalArgumentException("param '" + name + "': log-uniform needs min > 0, got " + min);
        }
        return range(name, min, max, true, gridPoints);
    }

    private ParamSpace range(String name, double min, double max, boolean log, int gridPoints) {
        if (!(min <= max) || Double.isInfinite(min) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("param '" + name + "': range needs finite min <= max, got [" + min + ", " + max + "]");
        }
        if (gridPoints < 1) {
            throw new IllegalArgumentException("param '" + name + "': gridPoints must be >= 1, got " + gridPoints);
        }
        dimensions.put(Validation.key("param name", name), new Range(min, max, log, gridPoints));
        return this;
    }

    /** Every combination of grid values, in a stable order (last dimension fastest). */
    List<Map<String, Object>> grid() {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, Dimension> d : dimensions.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object v : d.getValue().grid()) {
                    Map<String, Object> m = new LinkedHashMap<>(partial);
                    m.put(d.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return dimensions.isEmpty() ? List.of() : out;
    }

    Map<String, Object> sample(Random random) {
        Map<String, Object> m = new LinkedHashMap<>();
        dimensions.forEach((k, d) -> m.put(k, d.sample(random)));
        return m;
    }

    boolean isEmpty() {
        return dimensions.isEmpty();
    }
}
