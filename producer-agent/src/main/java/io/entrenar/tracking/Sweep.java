package io.entrenar.tracking;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A hyperparameter sweep (spec 10): a strategy proposes parameter sets from a {@link ParamSpace},
 * and each becomes a SWEEP_TRIAL run carrying the sweep id and its trial index.
 */
public final class Sweep {
    /** How trials are chosen. */
    public sealed interface Strategy permits Grid, RandomSearch {
    }

    /** Every grid combination, once. */
    public record Grid() implements Strategy {
    }

    /** {@code trials} independent samples from a seeded generator (reproducible). */
    public record RandomSearch(int trials, long seed) implements Strategy {
        public RandomSearch {
            if (trials < 1) {
                throw new IllegalArgumentException("a random sweep needs at least one trial, got " + trials);
            }
        }
    }

    private final Experiment experiment;
    private final String name;
    private final String id;
    private final List<Map<String, Object>> trials;

    Sweep(Experiment experiment, String name, ParamSpace space, Strategy strategy) {
        Validation.name("sweep name", name);
        if (space.isEmpty()) {
            throw new IllegalArgumentException("sweep '" + name + "' has an empty parameter space");
        }
        this.experiment = experiment;
        this.name = name;
        this.id = UUID.nameUUIDFromBytes(("entrenar-sweep:" + experiment.id() + ":" + name).getBytes(StandardCharsets.UTF_8)).toString();
        if (strategy instanceof RandomSearch r) {
            Random random = new Random(r.seed());
            List<Map<String, Object>> t = new ArrayList<>();
            for (int i = 0; i < r.trials(); i++) {
                t.add(space.sample(random));
            }
            trials = List.copyOf(t);
        } else {
            trials = List.copyOf(space.grid());
        }
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** The parameter sets, in trial order. */
    public List<Map<String, Object>> trials() {
        return trials;
    }

    /** A run builder for trial {@code index}, with its parameters set. */
    public RunBuilder trial(int index) {
        if (index < 0 || index >= trials.size()) {
            throw new IndexOutOfBoundsException("sweep '" + name + "' has " + trials.size() + " trials; no trial " + index);
        }
        return experiment.run(name + "-trial-" + index).params(trials.get(index)).tag("sweep", name).sweepTrial(id, index);
    }
}
