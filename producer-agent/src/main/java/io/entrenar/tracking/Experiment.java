package io.entrenar.tracking;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A named group of runs. Its id is a name-based UUID, the same in every process. */
public final class Experiment {
    private final Tracker tracker;
    private final String name;
    private final String id;

    Experiment(Tracker tracker, String name) {
        this(tracker, UUID.nameUUIDFromBytes(("entrenar-experiment:" + name).getBytes(StandardCharsets.UTF_8)).toString(), name);
    }

    Experiment(Tracker tracker, String id, String name) {
        Validation.name("experiment name", name);
        this.tracker = tracker;
        this.name = name;
        this.id = id;
    }

    public String name() {
        return name;
    }

    public String id() {
        return id;
    }

    /** Describes a new run; {@link RunBuilder#start()} opens it. */
    public RunBuilder run(String runName) {
        return new RunBuilder(tracker, this, runName);
    }

    /** A sweep over a parameter space; each trial is a run of this experiment. */
    public Sweep sweep(String sweepName, ParamSpace space, Sweep.Strategy strategy) {
        return new Sweep(this, sweepName, space, strategy);
    }
}
