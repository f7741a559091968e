package io.entrenar.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import io.entrenar.trainer.config.ConfigLoader;
import io.entrenar.trainer.config.InvalidTrainingConfigException;
import io.entrenar.trainer.config.TrainingConfig;
import io.entrenar.trainer.config.TrainingConfig.SweepSpec;
import io.entrenar.trainer.data.Dataset;
import io.entrenar.trainer.data.DatasetLoader;
import io.entrenar.trainer.data.Splits;
import io.entrenar.trainer.data.StandardScaler;
import io.entrenar.trainer.listen.LineageParent;
import io.entrenar.trainer.listen.RunListener;
import io.entrenar.trainer.listen.RunStart;
import io.entrenar.trainer.listen.SweepStart;
import io.entrenar.trainer.listen.TrainingFailure.Category;
import io.entrenar.trainer.listen.TrainingListener;
import io.entrenar.trainer.model.Failures;
import io.entrenar.trainer.model.Rng;
import io.entrenar.trainer.model.RunOutcome;
import io.entrenar.trainer.model.StepTrainer;
import io.entrenar.trainer.model.StopSignal;
import io.entrenar.trainer.model.TribuoTrainer;

/**
 * Runs what a config describes: one run, a sweep of derived trials, or a distillation pair (the
 * teacher, then the student on the teacher's softened outputs with the teacher as lineage parent),
 * reporting everything to one {@link TrainingListener}.
 */
public final class Trainer {
    private final TrainingListener listener;

    public Trainer(TrainingListener listener) {
        this.listener = listener;
    }

    /** All runs this config starts, in order. */
    public List<RunOutcome> run(TrainingConfig config) {
        if (config.sweep() != null) {
            return sweep(config);
        }
        if (config.distill() != null) {
            return distill(config);
        }
        return List.of(runOne(config, null, 0, List.of(), null));
    }

    private List<RunOutcome> sweep(TrainingConfig base) {
        SweepSpec spec = base.sweep();
        List<Map<String, Object>> trials = trials(spec, base.seed());
        String sweepId = UUID.randomUUID().toString();
        Map<String, List<String>> space = new LinkedHashMap<>();
        spec.space().forEach((k, v) -> space.put(k, v.stream().map(String::valueOf).toList()));
        listener.sweepStarted(new SweepStart(sweepId, base.name(), spec.method(), trials.size(), space));
        List<RunOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < trials.size() && !StopSignal.requested(); i++) {
            TrainingConfig trial = ConfigLoader.derive(base, trials.get(i), "sweep trial " + (i + 1));
            if (trial.distill() != null) {
                throw new InvalidTrainingConfigException(List.of(new io.entrenar.trainer.config.ConfigError(
                        base.source().toString(), 0, 0, "sweep", "a sweep over a distillation config is not supported")));
            }
            TrainingConfig named = rename(trial, base.name() + "-trial" + (i + 1));
            outcomes.add(runOne(named, sweepId, i + 1, List.of(), null));
        }
        return outcomes;
    }

    /** Grid: every combination in declared order (first {@code trials} if set); random: {@code trials} seeded draws. */
    static List<Map<String, Object>> trials(SweepSpec spec, long seed) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> keys = new ArrayList<>(spec.space().keySet());
        if (spec.method().equals("random")) {
            Rng rng = new Rng(seed ^ 0x5EE9L);
            for (int t = 0; t < spec.trials(); t++) {
                Map<String, Object> trial = new LinkedHashMap<>();
                for (String k : keys) {
                    List<Object> values = spec.space().get(k);
                    trial.put(k, values.get(rng.nextInt(values.size())));
                }
                out.add(trial);
            }
            return out;
        }
        grid(spec.space(), keys, 0, new LinkedHashMap<>(), out);
        return spec.trials() > 0 && spec.trials() < out.size() ? out.subList(0, spec.trials()) : out;
    }

    private static void grid(Map<String, List<Object>> space, List<String> keys, int i, Map<String, Object> partial,
            List<Map<String, Object>> out) {
        if (i == keys.size()) {
            out.add(new LinkedHashMap<>(partial));
            return;
        }
        for (Object v : space.get(keys.get(i))) {
            partial.put(keys.get(i), v);
            grid(space, keys, i + 1, partial, out);
        }
        partial.remove(keys.get(i));
    }

    private List<RunOutcome> distill(TrainingConfig student) {
        TrainingConfig teacherConfig = ConfigLoader.load(student.distill().teacherConfig());
        if (teacherConfig.distill() != null || teacherConfig.sweep() != null) {
            throw new InvalidTrainingConfigException(List.of(new io.entrenar.trainer.config.ConfigError(
                    teacherConfig.source().toString(), 0, 0, "teacher", "a teacher config must describe a single run")));
        }
        if (!teacherConfig.model().arch().gradientBased()) {
            throw new InvalidTrainingConfigException(List.of(new io.entrenar.trainer.config.ConfigError(
                    teacherConfig.source().toString(), 0, 0, "model.arch",
                    "a teacher must expose logits: logistic, linear_sgd or mlp")));
        }
        Prepared teacherData = prepare(teacherConfig);
        Teacher teacher = new Teacher();
        RunOutcome t = runOne(teacherConfig, null, 0, List.of(), teacher);
        if (!t.succeeded() || StopSignal.requested()) {
            return List.of(t);
        }
        Prepared studentData = prepare(student);
        if (studentData.train.features() != teacherData.train.features()
                || !studentData.train.labels().equals(teacherData.train.labels())) {
            throw new InvalidTrainingConfigException(List.of(new io.entrenar.trainer.config.ConfigError(
                    student.source().toString(), 0, 0, "data", "teacher and student must train on the same features "
                    + "and classes (teacher " + teacherData.train.features() + " features, student "
                    + studentData.train.features() + ")")));
        }
        double temperature = student.distill().temperature();
        double[][] soft = new double[studentData.rawTrain.rows()][];
        double[] z = new double[studentData.train.classes()];
        for (int i = 0; i < soft.length; i++) {
            t.logits().of(teacher.scaler.apply(studentData.rawTrain.x()[i]), z);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v / temperature);
            }
            double[] p = new double[z.length];
            double sum = 0;
            for (int k = 0; k < z.length; k++) {
                p[k] = Math.exp(z[k] / temperature - max);
                sum += p[k];
            }
            for (int k = 0; k < z.length; k++) {
                p[k] /= sum;
            }
            soft[i] = p;
        }
        RunOutcome s = runOne(student, null, 0, List.of(new LineageParent(t.runId(), LineageParent.Role.TEACHER)),
                null, soft);
        return List.of(t, s);
    }

    /** Filled with the teacher's scaler, so the student's raw rows can be fed to the teacher. */
    private static final class Teacher {
        StandardScaler scaler;
    }

    private record Prepared(Dataset full, Dataset rawTrain, Dataset train, Dataset validation, Dataset test,
            StandardScaler scaler) {
    }

    private static Prepared prepare(TrainingConfig config) {
        Dataset full = DatasetLoader.load(config.data(), config.seed());
        Splits s = Splits.split(full, config.data().validation(), config.data().test(), config.data().stratify(),
                config.seed());
        Dataset rawTrain = s.train().subset(identity(s.train().rows()));
        StandardScaler scaler = null;
        if (config.data().scaling() == TrainingConfig.Scaling.STANDARD) {
            scaler = StandardScaler.fit(s.train());
            scaler.apply(s.train());
            scaler.apply(s.validation());
            scaler.apply(s.test());
        }
        return new Prepared(full, rawTrain, s.train(), s.validation(), s.test(), scaler);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private RunOutcome runOne(TrainingConfig config, String sweepId, int trial, List<LineageParent> parents,
            Teacher teacher) {
        return runOne(config, sweepId, trial, parents, teacher, null);
    }

    private RunOutcome runOne(TrainingConfig config, String sweepId, int trial, List<LineageParent> parents,
            Teacher teacher, double[][] soft) {
        String runId = UUID.randomUUID().toString();
        Prepared data;
        try {
            data = prepare(config);
        } catch (DatasetLoader.DataException e) {
            RunListener run = listener.runStarted(start(config, runId, sweepId, trial, parents, "unavailable", "", 0, 0));
            var f = Failures.of("E_DATA", Category.DATA, e.getMessage(),
                    "fix the data file, or run ./entrenar setup for the bundled datasets", e, 0, 0);
            run.failed(f);
            run.flush();
            return RunOutcome.failed(runId, f);
        }
        if (teacher != null) {
            teacher.scaler = data.scaler == null ? identityScaler(data.train) : data.scaler;
        }
        Path baseDir = config.training().outputDir() != null ? config.training().outputDir()
                : Path.of(System.getProperty("user.home"), ".cache", "entrenar", "runs");
        if (config.model().arch().gradientBased()) {
            StepTrainer step = new StepTrainer(config, data.train, data.validation, data.test, data.scaler, soft,
                    baseDir);
            Optional<StepTrainerState> resumed;
            try {
                resumed = step.resume().map(s -> new StepTrainerState(s.runId(), s.epoch(), s.step()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read checkpoint in " + config.checkpoint().dir(), e);
            }
            // A resumed run is a run of its own (its own id, record and outcome), linked to the one it continues.
            List<LineageParent> lineage = new ArrayList<>(parents);
            resumed.ifPresent(r -> lineage.add(new LineageParent(r.runId(), LineageParent.Role.RESUMED_FROM)));
            RunListener run = listener.runStarted(start(config, runId, sweepId, trial, lineage, data.full.name(),
                    data.full.sha256(), resumed.map(StepTrainerState::step).orElse(0L), step.plannedSteps()));
            return step.train(runId, run, resumed.map(StepTrainerState::epoch).orElse(0),
                    resumed.map(StepTrainerState::step).orElse(0L));
        }
        TribuoTrainer tribuo = new TribuoTrainer(config, data.train, data.validation, data.test, baseDir.resolve(runId));
        RunListener run = listener.runStarted(start(config, runId, sweepId, trial, parents, data.full.name(),
                data.full.sha256(), 0, tribuo.plannedSteps()));
        return tribuo.train(runId, run);
    }

    private record StepTrainerState(String runId, int epoch, long step) {
    }

    private static StandardScaler identityScaler(Dataset train) {
        // No scaling configured: a scaler fitted on an empty-variance copy would still centre, so
        // map through an explicit identity instead.
        return StandardScaler.identity(train.features());
    }

    private static RunStart start(TrainingConfig config, String runId, String sweepId, int trial,
            List<LineageParent> parents, String dataset, String datasetSha, long resumedFrom, long planned) {
        Map<String, String> tags = new TreeMap<>(config.tags());
        tags.putIfAbsent("arch", config.model().arch().name().toLowerCase(Locale.ROOT));
        tags.putIfAbsent("dataset", dataset);
        tags.putIfAbsent("trainer", "entrenar-trainer");
        if (config.fineTuning().lora() != null) {
            tags.putIfAbsent("paradigm", "lora");
        } else if (config.distill() != null) {
            tags.putIfAbsent("paradigm", "distillation");
        }
        return new RunStart(runId, config.name(), config.source().toString(),
                config.model().arch().name().toLowerCase(Locale.ROOT), config.params(), tags, parents, dataset,
                datasetSha, config.seed(), sweepId, trial, resumedFrom, planned);
    }

    private static TrainingConfig rename(TrainingConfig c, String name) {
        return new TrainingConfig(c.source(), name, c.model(), c.data(), c.compute(), c.training(), c.optimizer(),
                c.scheduler(), c.checkpoint(), c.monitoring(), c.seed(), c.deterministic(), c.lockfile(), c.strict(),
                c.tags(), c.fineTuning(), c.distill(), c.failure(), c.sweep(), c.approval(), c.params());
    }
}
