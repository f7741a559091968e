package io.entrenar.tracking;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.entrenar.events.BenchmarkKey;
import io.entrenar.events.CausalDependency;
import io.entrenar.events.CodeComplexity;
import io.entrenar.events.CodeQuality;
import io.entrenar.events.DependencyAudit;
import io.entrenar.events.Device;
import io.entrenar.events.Lineage;
import io.entrenar.events.LineageParent;
import io.entrenar.events.LineageRole;
import io.entrenar.events.Paradigm;
import io.entrenar.events.Platform;
import io.entrenar.events.ResourcePlan;
import io.entrenar.events.RunSource;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunType;
import io.entrenar.events.SupplyChain;

/** Everything known about a run before it starts; {@link #start()} emits RunStarted and returns the live {@link Run}. */
public final class RunBuilder {
    private final Tracker tracker;
    private final Experiment experiment;
    private final String name;
    private final Map<String, String> params = new LinkedHashMap<>();
    /**
     * Tag of a run started in a JVM the agent tracks: the id of the agent's run of that JVM, which
     * holds its resource samples, syscall aggregates and process span.
     */
    public static final String JVM_RUN_TAG = "entrenar.jvm_run_id";
    /** System property the agent sets, before the program's {@code main}, to the id its run of the JVM will have. */
    public static final String JVM_RUN_PROPERTY = "entrenar.agent.run_id";

    private final Map<String, String> tags = new LinkedHashMap<>();
    private String presetId;
    private final List<LineageParent> parents = new ArrayList<>();
    private final List<CausalDependency> dependencies = new ArrayList<>();
    private String lineageType;
    private RunType runType = RunType.TRAINING;
    private String sweepId;
    private Integer trialIndex;
    private String sessionId;
    private String goldenBaseline;
    private Device device;
    private Paradigm paradigm;
    private ResourcePlan resourcePlan;
    private CodeQuality codeQuality;
    private CodeComplexity codeComplexity;
    private DependencyAudit dependencyAudit;
    private SupplyChain supplyChain;
    private Platform platform;
    private BenchmarkKey benchmark;
    private String mainClass;
    private String commandLine;
    private String gitCommit;
    private String gitBranch;
    private String configSha256;
    private long startedAtMicros = -1;

    RunBuilder(Tracker tracker, Experiment experiment, String name) {
        this.tracker = tracker;
        this.experiment = experiment;
        this.name = Validation.name("run name", name);
    }

    /** A hyperparameter: String, number, Boolean or enum; numbers are stored in canonical decimal form. */
    public RunBuilder param(String key, Object value) {
        params.put(Validation.key("param name", key), Validation.paramValue(key, value));
        return this;
    }

    public RunBuilder params(Map<String, ?> values) {
        values.forEach(this::param);
        return this;
    }

    public RunBuilder tag(String key, String value) {
        tags.put(Validation.key("tag name", key), Validation.value("tag '" + key + "'", value));
        return this;
    }

    /** A bare tag (empty value). */
    public RunBuilder tag(String key) {
        return tag(key, "");
    }

    /** A lineage parent with its role (spec 6); the parent's Lamport time may be null when unknown. */
    public RunBuilder parent(String parentRunId, LineageRole role, Long parentLamport) {
        Validation.name("parent run id", parentRunId);
        parents.add(new LineageParent(parentRunId, Objects.requireNonNull(role, "role"), parentLamport));
        if (parentLamport != null) {
            tracker.lamport().observe(parentLamport);
        }
        return this;
    }

    public RunBuilder parent(String parentRunId, LineageRole role) {
        return parent(parentRunId, role, null);
    }

    public RunBuilder lineageType(String type) {
        lineageType = Validation.name("lineage type", type);
        return this;
    }

    /** A model, dataset or tokenizer this run depends on, with its content hash. */
    public RunBuilder dependsOn(String kind, String depName, String contentHash) {
        dependencies.add(new CausalDependency(Validation.name("dependency kind", kind), Validation.name("dependency name", depName),
                contentHash, tracker.lamport().current()));
        return this;
    }

    public RunBuilder runType(RunType type) {
        runType = Objects.requireNonNull(type);
        return this;
    }

    public RunBuilder session(String id) {
        sessionId = Validation.name("session id", id);
        return this;
    }

    public RunBuilder goldenBaseline(String runId) {
        goldenBaseline = Validation.name("golden baseline run id", runId);
        return this;
    }

    public RunBuilder device(Device value) {
        device = value;
        return this;
    }

    public RunBuilder paradigm(Paradigm value) {
        paradigm = value;
        return this;
    }

    public RunBuilder resourcePlan(ResourcePlan value) {
        resourcePlan = value;
        return this;
    }

    public RunBuilder codeQuality(CodeQuality value) {
        codeQuality = value;
        return this;
    }

    public RunBuilder codeComplexity(CodeComplexity value) {
        codeComplexity = value;
        return this;
    }

    public RunBuilder dependencyAudit(DependencyAudit value) {
        dependencyAudit = value;
        return this;
    }

    public RunBuilder supplyChain(SupplyChain value) {
        supplyChain = value;
        return this;
    }

    public RunBuilder platform(Platform value) {
        platform = value;
        return this;
    }

    /**
     * The leaderboard this run competes on (spec 24): when it finishes COMPLETED with
     * {@code qualityMetric} in its summary, the processors rank it on {@code name}'s Pareto frontier
     * (quality against the summary's {@code cost_usd}, {@code energy_kwh}, {@code latency_p50_ms}).
     */
    public RunBuilder benchmark(String name, String dataset, String task, String qualityMetric, boolean higherIsBetter) {
        benchmark = BenchmarkKey.newBuilder().setName(Validation.name("benchmark name", name))
                .setDataset(Validation.name("benchmark dataset", dataset)).setTask(Validation.name("benchmark task", task))
                .setQualityMetric(Validation.key("benchmark quality metric", qualityMetric))
                .setHigherIsBetter(higherIsBetter).build();
        return this;
    }

    /** Main class and command line of the process (the agent fills these in). */
    public RunBuilder source(String mainClassName, String command) {
        mainClass = mainClassName;
        commandLine = command == null ? null : command.length() > Validation.MAX_VALUE ? command.substring(0, Validation.MAX_VALUE) : command;
        return this;
    }

    /**
     * Makes this run trial {@code index} of sweep {@code id} (a SWEEP_TRIAL run with the sweep id and
     * trial index as columns): for sweeps driven outside {@link Sweep}, such as the trainer's.
     */
    public RunBuilder sweepTrial(String id, int index) {
        runType = RunType.SWEEP_TRIAL;
        sweepId = Validation.value("sweep id", Objects.requireNonNull(id, "sweep id"));
        trialIndex = index;
        return this;
    }

    /**
     * Sets the run's id instead of a random one. For a process that must name its run before it
     * starts it: the agent announces the id of its JVM's run before the program's {@code main}.
     */
    public RunBuilder id(String runId) {
        try {
            this.presetId = java.util.UUID.fromString(runId).toString();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("run id must be a UUID, got '" + runId + "'");
        }
        return this;
    }

    /** The code the run trains with: the checkout's commit ({@link GitCheckout}) and branch (null when detached). */
    public RunBuilder git(String commit, String branch) {
        gitCommit = commit == null ? null : Validation.value("git commit", commit);
        gitBranch = branch == null ? null : Validation.value("git branch", branch);
        return this;
    }

    /** The sha256 of the job's config file as it was read: two runs with the same hash ran the same config. */
    public RunBuilder configSha256(String sha256) {
        configSha256 = sha256 == null ? null : Validation.value("config sha256", sha256);
        return this;
    }

    /**
     * When the run started, if not now: a client that reports its own start time (MLflow's
     * {@code start_time}). Microseconds since the epoch.
     */
    public RunBuilder startedAt(long epochMicros) {
        if (epochMicros < 0) {
            throw new IllegalArgumentException("a run cannot start at " + epochMicros + " µs since the epoch");
        }
        startedAtMicros = epochMicros;
        return this;
    }

    /** Opens the run: emits RunStarted (and RUNNING) and returns the handle to log to. */
    public Run start() {
        String runId = presetId != null ? presetId : java.util.UUID.randomUUID().toString();
        String jvmRun = System.getProperty(JVM_RUN_PROPERTY);
        if (jvmRun != null && !jvmRun.equals(runId) && !tags.containsKey(JVM_RUN_TAG)) {
            tags.put(JVM_RUN_TAG, jvmRun);
        }
        long lamport = tracker.lamport().tick();
        long now = startedAtMicros >= 0 ? startedAtMicros : tracker.nowMicros();
        RunSource source = RunSource.newBuilder()
                .setHost(ProcessIdentity.host())
                .setPid(ProcessIdentity.pid())
                .setUser(System.getProperty("user.name"))
                .setMainClass(mainClass)
                .setCommandLine(commandLine)
                .setJvmVersion(System.getProperty("java.vm.name") + " " + Runtime.version())
                .setOs(System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
                .setGitCommit(gitCommit).setGitBranch(gitBranch).setConfigSha256(configSha256)
                .build();
        Lineage lineage = parents.isEmpty() && dependencies.isEmpty() && lineageType == null ? null
                : Lineage.newBuilder().setType(lineageType).setParents(parents).setDependencies(dependencies).build();
        RunStarted started = RunStarted.newBuilder()
                .setRunName(name)
                .setExperimentId(experiment.id())
                .setExperimentName(experiment.name())
                .setRunType(runType)
                .setSweepId(sweepId)
                .setTrialIndex(trialIndex)
                .setSessionId(sessionId)
                .setGoldenBaselineRunId(goldenBaseline)
                .setParams(new LinkedHashMap<>(params))
                .setTags(new LinkedHashMap<>(tags))
                .setSource(source)
                .setLineage(lineage)
                .setDevice(device)
                .setParadigm(paradigm)
                .setResourcePlan(resourcePlan)
                .setCodeQuality(codeQuality)
                .setCodeComplexity(codeComplexity)
                .setDependencyAudit(dependencyAudit)
                .setSupplyChain(supplyChain)
                .setPlatform(platform)
                .setBenchmark(benchmark)
                .build();
        Run run = new Run(tracker, runId, name, now, RunFootprint.start(tracker.config().footprint(), platform));
        run.emitStarted(started, lamport, now);
        return run;
    }
}
