package io.entrenar.trainer.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrenar.config.DidYouMean;
import io.entrenar.trainer.config.TrainingConfig.Activation;
import io.entrenar.trainer.config.TrainingConfig.ApprovalSpec;
import io.entrenar.trainer.config.TrainingConfig.Arch;
import io.entrenar.trainer.config.TrainingConfig.CheckpointSpec;
import io.entrenar.trainer.config.TrainingConfig.ComputeSpec;
import io.entrenar.trainer.config.TrainingConfig.DataSpec;
import io.entrenar.trainer.config.TrainingConfig.DistillSpec;
import io.entrenar.trainer.config.TrainingConfig.FailureSpec;
import io.entrenar.trainer.config.TrainingConfig.FineTuning;
import io.entrenar.trainer.config.TrainingConfig.Init;
import io.entrenar.trainer.config.TrainingConfig.Lora;
import io.entrenar.trainer.config.TrainingConfig.ModelSpec;
import io.entrenar.trainer.config.TrainingConfig.MonitoringSpec;
import io.entrenar.trainer.config.TrainingConfig.OptimizerName;
import io.entrenar.trainer.config.TrainingConfig.OptimizerSpec;
import io.entrenar.trainer.config.TrainingConfig.Quantize;
import io.entrenar.trainer.config.TrainingConfig.Scaling;
import io.entrenar.trainer.config.TrainingConfig.SchedulerSpec;
import io.entrenar.trainer.config.TrainingConfig.SchedulerType;
import io.entrenar.trainer.config.TrainingConfig.Source;
import io.entrenar.trainer.config.TrainingConfig.SweepSpec;
import io.entrenar.trainer.config.TrainingConfig.TrainingSpec;

/**
 * Reads a training YAML (README "Trainer" lists every key and default), applies
 * {@code ENTRENAR_TRAIN_<SECTION>_<KEY>} environment overrides, and validates types, ranges and
 * cross-field rules. All errors are collected and thrown together, each with line and column.
 */
public final class ConfigLoader {
    public static final String ENV_PREFIX = "ENTRENAR_TRAIN_";

    static final Map<String, Set<String>> SECTIONS = new LinkedHashMap<>();

    static {
        SECTIONS.put("model", Set.of("arch", "hidden", "activation", "dropout", "init", "max_depth", "trees", "eta",
                "feature_fraction", "factors", "path", "size"));
        SECTIONS.put("data", Set.of("source", "format", "path", "label", "auto_infer_types", "batch_size", "split",
                "stratify", "scaling", "samples", "features", "classes", "noise"));
        SECTIONS.put("compute", Set.of("device", "precision", "threads", "heap_plan_mb", "hourly_rate_usd"));
        SECTIONS.put("training", Set.of("epochs", "gradient_accumulation", "effective_batch", "pace_ms", "output_dir"));
        SECTIONS.put("optimizer", Set.of("name", "lr", "clip_norm", "clip_value", "momentum", "weight_decay", "beta1",
                "beta2", "epsilon"));
        SECTIONS.put("scheduler", Set.of("type", "warmup_steps", "min_lr", "step_size", "gamma"));
        SECTIONS.put("checkpoint", Set.of("dir", "path", "every_epochs", "every_steps", "save_every", "keep_last",
                "resume", "atomic"));
        SECTIONS.put("monitoring", Set.of("log_every_steps", "events"));
        SECTIONS.put("lora", Set.of("rank", "alpha", "target_modules", "dropout"));
        SECTIONS.put("quantize", Set.of("bits", "double_quant"));
        SECTIONS.put("distill", Set.of("temperature", "alpha"));
        SECTIONS.put("teacher", Set.of("config", "path"));
        SECTIONS.put("student", Set.of("path"));
        SECTIONS.put("failure", Set.of("nan_at_step", "nan_input", "lr_blowup", "oom", "halt_at_step",
                "halt_exit_code", "stall_at_step", "stall_seconds"));
        SECTIONS.put("sweep", Set.of("method", "trials", "params"));
        SECTIONS.put("approval", Set.of("after_epochs", "before_model", "metric", "above", "below", "timeout_s",
                "on_timeout"));
    }

    static final Set<String> SCALARS = Set.of("name", "seed", "deterministic", "lockfile", "strict");
    static final Set<String> TOP = topKeys();

    private ConfigLoader() {
    }

    /** Loads FILE with the process environment's overrides. */
    public static TrainingConfig load(Path file) {
        return load(file, System.getenv());
    }

    public static TrainingConfig load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidTrainingConfigException(List.of(new ConfigError(file.toString(), 0, 0, "(file)",
                    "cannot read: " + e.getMessage())));
        }
        return parse(file, text, env);
    }

    public static TrainingConfig parse(Path file, String yaml, Map<String, String> env) {
        YamlTree tree = YamlTree.parse(file.toString(), yaml);
        List<ConfigError> errors = new ArrayList<>();
        if (!tree.root.isObject()) {
            throw new InvalidTrainingConfigException(List.of(tree.error(tree.root, "(top level)",
                    "expected a mapping of sections (model:, data:, ...), got " + Section.kind(tree.root))));
        }
        applyEnv(tree, env, errors);
        return build(file, tree, errors);
    }

    /** A sweep trial: the base config with {@code overrides} (dotted path -> value) applied, validated again. */
    public static TrainingConfig derive(TrainingConfig base, Map<String, Object> overrides, String origin) {
        String text;
        try {
            text = Files.readString(base.source());
        } catch (IOException e) {
            throw new InvalidTrainingConfigException(List.of(new ConfigError(base.source().toString(), 0, 0,
                    "(file)", "cannot read: " + e.getMessage())));
        }
        YamlTree tree = YamlTree.parse(base.source().toString(), text);
        List<ConfigError> errors = new ArrayList<>();
        applyEnv(tree, System.getenv(), errors);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.root).remove("sweep");
        overrides.forEach((path, value) -> tree.set(path,
                new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(value), origin + " " + path));
        return build(base.source(), tree, errors);
    }

    private static TrainingConfig build(Path file, YamlTree tree, List<ConfigError> errors) {
        SortedMap<String, String> params = new TreeMap<>();
        Set<String> top = TOP;
        Section root = new Section(tree, tree.root, "", top, errors, params);
        Path dir = file.toAbsolutePath().getParent();

        String name = root.text("name", stripExtension(file.getFileName().toString()));
        long seed = root.integer("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        boolean deterministic = root.bool("deterministic", false);
        String lock = root.text("lockfile", null);
        boolean strict = root.bool("strict", true);

        ModelSpec model = model(root.child("model", SECTIONS.get("model")));
        DataSpec data = data(root.child("data", SECTIONS.get("data")), dir);
        Section computeSection = root.child("compute", SECTIONS.get("compute"));
        String device = computeSection.text("device", "cpu");
        if (!"cpu".equalsIgnoreCase(device)) {
            computeSection.error("device", "'" + device + "' is not available: this trainer runs on the CPU "
                    + "(Tribuo); large-model settings are recorded as metadata in lora:/quantize: blocks");
        }
        String precision = computeSection.text("precision", "fp64");
        int threads = (int) computeSection.integer("threads", 1, 1, 256);
        long heapPlan = computeSection.integer("heap_plan_mb", 0, 0, 1 << 20);
        if (deterministic && threads != 1) {
            computeSection.error("threads", "deterministic: true needs threads: 1 (native trainers reorder sums across threads)");
        }
        double hourlyRate = computeSection.number("hourly_rate_usd", 0, 0, 1_000_000, false);
        ComputeSpec compute = new ComputeSpec(device, precision, threads, heapPlan, hourlyRate);

        Section t = root.child("training", SECTIONS.get("training"));
        int epochs = (int) t.integer("epochs", 10, 1, 1_000_000);
        int accumulation = (int) t.integer("gradient_accumulation", 1, 1, 1 << 16);
        int pace = (int) t.integer("pace_ms", 0, 0, 60_000);
        int effective = (int) t.integer("effective_batch", (long) data.batchSize() * accumulation, 1, Integer.MAX_VALUE);
        if (effective != data.batchSize() * accumulation) {
            t.error("effective_batch", "must equal data.batch_size x training.gradient_accumulation = "
                    + data.batchSize() + " x " + accumulation + " = " + data.batchSize() * accumulation);
        }
        String outputDir = t.text("output_dir", null);
        TrainingSpec training = new TrainingSpec(epochs, accumulation, pace, effective,
                outputDir == null ? null : dir.resolve(outputDir));

        Section o = root.child("optimizer", SECTIONS.get("optimizer"));
        OptimizerName optName = o.choice("name", OptimizerName.class, OptimizerName.ADAM);
        double lr = o.number("lr", optName == OptimizerName.SGD || optName == OptimizerName.MOMENTUM ? 0.1 : 0.01,
                0, 10, true);
        double clipNorm = o.number("clip_norm", 0, 0, Double.MAX_VALUE, false);
        double clipValue = o.number("clip_value", 0, 0, Double.MAX_VALUE, false);
        double momentum = o.number("momentum", optName == OptimizerName.MOMENTUM ? 0.9 : 0, 0, 1, false);
        if (o.has("momentum") && optName != OptimizerName.MOMENTUM && optName != OptimizerName.SGD) {
            o.error("momentum", "applies to name: momentum (or sgd), not " + optName.name().toLowerCase(Locale.ROOT));
        }
        if (momentum >= 1) {
            o.error("momentum", "must be < 1");
        }
        double wd = o.number("weight_decay", optName == OptimizerName.ADAMW ? 0.01 : 0, 0, 1, false);
        double beta1 = o.number("beta1", 0.9, 0, 1, false);
        double beta2 = o.number("beta2", 0.999, 0, 1, false);
        if (beta1 >= 1 || beta2 >= 1) {
            o.error(beta1 >= 1 ? "beta1" : "beta2", "must be < 1");
        }
        double eps = o.number("epsilon", 1e-8, 0, 1, true);
        OptimizerSpec optimizer = new OptimizerSpec(optName, lr, clipNorm, clipValue, momentum, wd, beta1, beta2, eps);

        Section s = root.child("scheduler", SECTIONS.get("scheduler"));
        SchedulerType type = s.choice("type", SchedulerType.class, SchedulerType.CONSTANT);
        int warmup = (int) s.integer("warmup_steps", 0, 0, Integer.MAX_VALUE);
        double minLr = s.number("min_lr", 0, 0, 10, false);
        int stepSize = (int) s.integer("step_size", 100, 1, Integer.MAX_VALUE);
        double gamma = s.number("gamma", 0.1, 0, 1, true);
        if (type == SchedulerType.COSINE && minLr >= lr) {
            s.error("min_lr", "must be below optimizer.lr (" + Section.fmt(lr) + ") for a cosine schedule");
        }
        SchedulerSpec scheduler = new SchedulerSpec(type, warmup, minLr, stepSize, gamma);

        Section c = root.child("checkpoint", SECTIONS.get("checkpoint"));
        if (c.has("dir") && c.has("path")) {
            c.error("path", "give either dir or path (they are the same setting)");
        }
        String ckDir = c.text(c.has("path") ? "path" : "dir", null);
        int everyEpochs = (int) c.integer("every_epochs", 1, 1, Integer.MAX_VALUE);
        if (c.has("every_steps") && c.has("save_every")) {
            c.error("save_every", "give either every_steps or save_every (they are the same setting)");
        }
        int everySteps = (int) c.integer(c.has("save_every") ? "save_every" : "every_steps", 0, 0, Integer.MAX_VALUE);
        int keepLast = (int) c.integer("keep_last", 3, 1, 1000);
        boolean resume = c.bool("resume", true);
        if (!c.bool("atomic", true)) {
            c.error("atomic", "checkpoints are always written atomically (temp file, fsync, rename); remove this or set true");
        }
        CheckpointSpec checkpoint = new CheckpointSpec(ckDir == null ? null : dir.resolve(ckDir), everyEpochs,
                everySteps, keepLast, resume);

        Section m = root.child("monitoring", SECTIONS.get("monitoring"));
        int logEvery = (int) m.integer("log_every_steps", 1, 1, Integer.MAX_VALUE);
        String events = m.text("events", null);
        MonitoringSpec monitoring = new MonitoringSpec(logEvery, events == null ? null : dir.resolve(events));

        Map<String, String> tags = tags(root, tree, errors, params);
        FineTuning fineTuning = fineTuning(root);
        DistillSpec distill = distill(root, dir, model);
        FailureSpec failure = failure(root.child("failure", SECTIONS.get("failure")), model);
        SweepSpec sweep = sweep(root.child("sweep", SECTIONS.get("sweep")), tree, errors);
        ApprovalSpec approval = root.has("approval") ? approval(root.child("approval", SECTIONS.get("approval")), epochs)
                : ApprovalSpec.NONE;
        if (!model.arch().gradientBased() && (!approval.afterEpochs().isEmpty() || approval.metric() != null)) {
            root.error("approval", "after_epochs and metric gates need a step-trained model (logistic, linear_sgd, mlp): "
                    + model.arch().name().toLowerCase(Locale.ROOT) + " trains in one Tribuo call; use before_model: true");
        }

        if (!model.arch().gradientBased() && model.arch() != Arch.FACTORIZATION_MACHINE) {
            for (String k : List.of("optimizer", "scheduler")) {
                if (root.has(k)) {
                    root.error(k, "applies to gradient-trained models (logistic, linear_sgd, mlp, "
                            + "factorization_machine), not arch " + model.arch().name().toLowerCase(Locale.ROOT));
                }
            }
        }
        Path lockfile = lock == null ? null : dir.resolve(lock);
        if (!errors.isEmpty()) {
            throw new InvalidTrainingConfigException(errors);
        }
        TrainingConfig config = new TrainingConfig(file, name, model, data, compute, training, optimizer, scheduler,
                checkpoint, monitoring, seed, deterministic, lockfile, strict, tags, fineTuning, distill, failure, sweep,
                approval, params);
        if (lockfile != null && Files.exists(lockfile)) {
            List<ConfigError> drift = Lockfile.drift(config);
            if (!drift.isEmpty() && strict) {
                throw new InvalidTrainingConfigException(drift);
            }
            drift.forEach(e -> System.err.println("entrenar: warning (strict: false): " + e));
        }
        return config;
    }

    private static ModelSpec model(Section m) {
        Arch arch = m.choice("arch", Arch.class, Arch.LOGISTIC);
        boolean mlp = arch == Arch.MLP;
        onlyFor(m, arch, Set.of(Arch.MLP), "hidden", "activation", "dropout", "init");
        onlyFor(m, arch, Set.of(Arch.CART, Arch.RANDOM_FOREST, Arch.XGBOOST), "max_depth", "feature_fraction");
        onlyFor(m, arch, Set.of(Arch.RANDOM_FOREST, Arch.XGBOOST), "trees");
        onlyFor(m, arch, Set.of(Arch.XGBOOST), "eta");
        onlyFor(m, arch, Set.of(Arch.FACTORIZATION_MACHINE), "factors");
        List<Integer> hidden = mlp ? m.intList("hidden", List.of(64), 1, 1 << 16) : List.of();
        if (mlp && hidden.isEmpty()) {
            m.error("hidden", "an MLP needs at least one hidden layer, e.g. [64]");
        }
        Activation activation = mlp ? m.choice("activation", Activation.class, Activation.RELU) : Activation.RELU;
        double dropout = mlp ? m.number("dropout", 0, 0, 1, false) : 0;
        if (dropout >= 1) {
            m.error("dropout", "must be below 1 (it is the fraction of units dropped)");
        }
        Init init = mlp ? m.choice("init", Init.class, Init.AUTO) : Init.AUTO;
        boolean tree = arch == Arch.CART || arch == Arch.RANDOM_FOREST || arch == Arch.XGBOOST;
        int maxDepth = tree ? (int) m.integer("max_depth", arch == Arch.XGBOOST ? 6 : 0, 0, 64) : 0;
        int trees = arch == Arch.RANDOM_FOREST || arch == Arch.XGBOOST ? (int) m.integer("trees", 50, 1, 10_000) : 0;
        double eta = arch == Arch.XGBOOST ? m.number("eta", 0.3, 0, 1, true) : 0;
        double ff = tree ? m.number("feature_fraction", arch == Arch.RANDOM_FOREST ? 0.5 : 1.0, 0, 1, true) : 1;
        int factors = arch == Arch.FACTORIZATION_MACHINE ? (int) m.integer("factors", 8, 1, 1024) : 0;
        String path = m.text("path", null);
        String size = m.text("size", null);
        return new ModelSpec(arch, hidden, activation, dropout, init, maxDepth, trees, eta, ff, factors, path, size);
    }

    private static void onlyFor(Section m, Arch arch, Set<Arch> archs, String... keys) {
        if (archs.contains(arch)) {
            return;
        }
        for (String k : keys) {
            if (m.has(k)) {
                m.error(k, "applies to arch " + archs.stream().map(a -> a.name().toLowerCase(Locale.ROOT)).sorted()
                        .reduce((a, b) -> a + "|" + b).orElse("") + ", not " + arch.name().toLowerCase(Locale.ROOT));
            }
        }
    }

    private static DataSpec data(Section d, Path dir) {
        if (d.has("format") && !"csv".equalsIgnoreCase(d.raw("format").asText())) {
            d.error("format", "'" + d.raw("format").asText() + "' is not supported: csv (or use source:)");
        }
        Source source = d.has("format") && !d.has("source") ? Source.CSV : d.choice("source", Source.class, Source.DIGITS);
        if (d.has("format")) {
            d.text("format", "csv");
        }
        d.bool("auto_infer_types", true);
        String path = d.text("path", null);
        String label = d.text("label", source == Source.CSV ? "label" : null);
        Path resolved = null;
        if (source == Source.CSV) {
            if (path == null) {
                d.error("path", "source csv needs path: FILE (a CSV with a header row)");
            } else {
                resolved = dir.resolve(path);
                if (!Files.isRegularFile(resolved)) {
                    d.error("path", "no such file: " + resolved);
                }
            }
        } else {
            for (String k : List.of("path", "label")) {
                if (d.has(k)) {
                    d.error(k, "applies to source csv only (source is " + source.name().toLowerCase(Locale.ROOT) + ")");
                }
            }
        }
        int batch = (int) d.integer("batch_size", 32, 1, 1 << 20);
        Section split = d.child("split", Set.of("train", "validation", "test"));
        double validation = split.number("validation", 0.15, 0, 0.9, true);
        double test = split.number("test", 0.15, 0, 0.9, true);
        double train = split.number("train", 1 - validation - test, 0, 1, true);
        if (Math.abs(train + validation + test - 1) > 1e-9) {
            split.error(split.has("train") ? "train" : "test", "train + validation + test must be 1, got "
                    + Section.fmt(train + validation + test));
        }
        boolean stratify = d.bool("stratify", true);
        Scaling scaling = d.choice("scaling", Scaling.class, Scaling.STANDARD);
        boolean synthetic = source == Source.SYNTHETIC;
        for (String k : List.of("samples", "features", "classes", "noise")) {
            if (!synthetic && d.has(k)) {
                d.error(k, "applies to source synthetic only");
            }
        }
        int samples = synthetic ? (int) d.integer("samples", 10_000, 10, 50_000_000) : 0;
        int features = synthetic ? (int) d.integer("features", 20, 1, 100_000) : 0;
        int classes = synthetic ? (int) d.integer("classes", 3, 2, 1000) : 0;
        double noise = synthetic ? d.number("noise", 1.0, 0, 100, false) : 0;
        return new DataSpec(source, resolved, label, batch, validation, test, stratify, scaling, samples, features,
                classes, noise);
    }

    private static Map<String, String> tags(Section root, YamlTree tree, List<ConfigError> errors,
            SortedMap<String, String> params) {
        JsonNode t = root.raw("tags");
        Map<String, String> tags = new TreeMap<>();
        if (t == null || t.isNull()) {
            return tags;
        }
        if (!t.isObject()) {
            errors.add(tree.error(t, "tags", "expected a mapping of name: value, got " + Section.kind(t)));
            return tags;
        }
        t.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode()) {
                errors.add(tree.error(e.getValue(), "tags." + e.getKey(), "expected a plain value"));
            } else {
                tags.put(e.getKey(), e.getValue().asText());
                params.put("tags." + e.getKey(), e.getValue().asText());
            }
        });
        return tags;
    }

    private static FineTuning fineTuning(Section root) {
        Section l = root.child("lora", SECTIONS.get("lora"));
        Lora lora = null;
        if (l.present()) {
            lora = new Lora((int) l.integer("rank", 8, 1, 4096), l.number("alpha", 16, 0, 1e6, true),
                    l.textList("target_modules"), l.number("dropout", 0, 0, 1, false));
        }
        Section q = root.child("quantize", SECTIONS.get("quantize"));
        Quantize quantize = null;
        if (q.present()) {
            int bits = (int) q.integer("bits", 8, 1, 32);
            if (bits != 4 && bits != 8 && bits != 16) {
                q.error("bits", "must be 4, 8 or 16, got " + bits);
            }
            quantize = new Quantize(bits, q.bool("double_quant", false));
        }
        Section st = root.child("student", SECTIONS.get("student"));
        String studentPath = st.text("path", null);
        Section te = root.child("teacher", SECTIONS.get("teacher"));
        String teacherPath = te.text("path", null);
        te.text("config", null);
        return new FineTuning(lora, quantize, teacherPath, studentPath);
    }

    private static DistillSpec distill(Section root, Path dir, ModelSpec model) {
        Section d = root.child("distill", SECTIONS.get("distill"));
        JsonNode te = root.raw("teacher");
        String teacherConfig = te != null && te.isObject() && te.hasNonNull("config") ? te.get("config").asText() : null;
        if (!d.present()) {
            if (teacherConfig != null) {
                root.error("teacher", "teacher.config needs a distill: block (temperature, alpha)");
            }
            return null;
        }
        double temperature = d.number("temperature", 4.0, 0, 1000, true);
        double alpha = d.number("alpha", 0.7, 0, 1, false);
        Path teacher = null;
        if (teacherConfig == null) {
            d.error("temperature", "distillation needs teacher.config: a training YAML for the teacher, trained first"
                    + (root.has("teacher") ? " (teacher.path alone is recorded as metadata and cannot be run here)" : ""));
        } else {
            teacher = dir.resolve(teacherConfig);
            if (!Files.isRegularFile(teacher)) {
                root.error("teacher", "teacher.config: no such file: " + teacher);
            }
        }
        if (!model.arch().gradientBased()) {
            d.error("alpha", "the student must be trained on our step loop (logistic, linear_sgd, mlp), not arch "
                    + model.arch().name().toLowerCase(Locale.ROOT));
        }
        return new DistillSpec(temperature, alpha, teacher);
    }

    /** Read only when the config has an approval: section, so that runs without gates record no approval.* params. */
    private static ApprovalSpec approval(Section a, int epochs) {
        List<Integer> afterEpochs = a.intList("after_epochs", List.of(), 1, epochs);
        boolean beforeModel = a.bool("before_model", false);
        String metric = a.text("metric", null);
        if (metric != null && !ApprovalSpec.METRICS.contains(metric)) {
            a.error("metric", "'" + metric + "' is not one of " + String.join("|", ApprovalSpec.METRICS));
        }
        double above = a.has("above") ? a.number("above", 0, -Double.MAX_VALUE, Double.MAX_VALUE, false) : Double.NaN;
        double below = a.has("below") ? a.number("below", 0, -Double.MAX_VALUE, Double.MAX_VALUE, false) : Double.NaN;
        if (metric != null && a.has("above") == a.has("below")) {
            a.error("metric", "give exactly one of above: or below: (the bound whose first crossing opens the gate)");
        }
        if (metric == null && (a.has("above") || a.has("below"))) {
            a.error(a.has("above") ? "above" : "below", "needs metric: (which epoch metric to watch)");
        }
        long timeout = a.integer("timeout_s", 3600, 1, 7 * 24 * 3600);
        String onTimeout = a.text("on_timeout", "stop");
        if (!onTimeout.equals("stop") && !onTimeout.equals("continue")) {
            a.error("on_timeout", "'" + onTimeout + "' is not one of stop|continue");
        }
        ApprovalSpec spec = new ApprovalSpec(afterEpochs, beforeModel, metric, above, below,
                java.time.Duration.ofSeconds(timeout), onTimeout.equals("continue"));
        if (!spec.any()) {
            a.error("after_epochs", "an approval: section needs a gate: after_epochs, before_model: true, or metric: with above:/below:");
        }
        return spec;
    }

    private static FailureSpec failure(Section f, ModelSpec model) {
        if (!f.present()) {
            return FailureSpec.NONE;
        }
        long nanAt = f.integer("nan_at_step", 0, 0, Long.MAX_VALUE);
        boolean nanInput = f.bool("nan_input", false);
        double blowup = f.number("lr_blowup", 0, 0, Double.MAX_VALUE, false);
        if (blowup != 0 && blowup <= 1) {
            f.error("lr_blowup", "a blow-up factor must be > 1 (e.g. 1e300)");
        }
        if (nanInput && blowup > 0) {
            f.error("lr_blowup", "choose one NaN mechanism: nan_input or lr_blowup");
        }
        if ((nanInput || blowup > 0) && nanAt == 0) {
            nanAt = 1;
        }
        long oom;
        JsonNode oomNode = f.raw("oom");
        if (oomNode != null && oomNode.isBoolean()) {
            oom = f.bool("oom", false) ? 1 : 0;
        } else {
            oom = f.integer("oom", 0, 0, Long.MAX_VALUE);
        }
        long haltAt = f.integer("halt_at_step", 0, 0, Long.MAX_VALUE);
        int haltCode = (int) f.integer("halt_exit_code", 137, 1, 255);
        long stallAt = f.integer("stall_at_step", 0, 0, Long.MAX_VALUE);
        int stallSeconds = (int) f.integer("stall_seconds", stallAt > 0 ? 30 : 0, 0, 86_400);
        if (stallSeconds > 0 && stallAt == 0) {
            f.error("stall_seconds", "needs stall_at_step");
        }
        if (!model.arch().gradientBased() && (nanAt > 0 || oom > 0 || haltAt > 0 || stallAt > 0)) {
            f.error(f.has("nan_at_step") ? "nan_at_step" : "oom", "faults are injected in the step loop of "
                    + "logistic, linear_sgd and mlp, not arch " + model.arch().name().toLowerCase(Locale.ROOT));
        }
        return new FailureSpec(nanAt, blowup, oom, haltAt, haltCode, stallAt, stallSeconds);
    }

    private static SweepSpec sweep(Section s, YamlTree tree, List<ConfigError> errors) {
        if (!s.present()) {
            return null;
        }
        String method = s.text("method", "grid");
        if (!method.equals("grid") && !method.equals("random")) {
            s.error("method", "'" + method + "' is not one of grid|random");
        }
        int trials = (int) s.integer("trials", 0, 0, 100_000);
        if ("random".equals(method) && trials == 0) {
            s.error("trials", "a random sweep needs trials: N");
        }
        JsonNode p = s.raw("params");
        Map<String, List<Object>> space = new LinkedHashMap<>();
        if (p == null || !p.isObject() || p.isEmpty()) {
            s.error("params", "list the swept parameters, e.g. params: {optimizer.lr: [0.1, 0.01]}");
            return new SweepSpec(method, trials, space);
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        p.fields().forEachRemaining(e -> {
            String key = e.getKey();
            String[] parts = key.split("\\.");
            boolean known = parts.length == 2 && SECTIONS.containsKey(parts[0]) && SECTIONS.get(parts[0]).contains(parts[1])
                    || parts.length == 1 && SCALARS.contains(parts[0])
                    || parts.length == 3 && key.startsWith("data.split.");
            if (!known) {
                errors.add(tree.keyError(p, key, "sweep.params." + key, "not a config parameter"
                        + DidYouMean.suggest(key, envPaths().keySet().stream().map(x -> x).toList())));
            } else if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                errors.add(tree.error(e.getValue(), "sweep.params." + key, "expected a non-empty list of values"));
            } else {
                List<Object> values = new ArrayList<>();
                e.getValue().forEach(v -> values.add(json.convertValue(v, Object.class)));
                space.put(key, values);
            }
        });
        return new SweepSpec(method, trials, space);
    }

    /** Environment variable name -> dotted config path, for every settable scalar. */
    static Map<String, String> envPaths() {
        Map<String, String> paths = new TreeMap<>();
        SECTIONS.forEach((section, keys) -> {
            if (!section.equals("sweep")) {
                keys.forEach(k -> paths.put(section + "." + k, ENV_PREFIX + (section + "_" + k).toUpperCase(Locale.ROOT)));
            }
        });
        SCALARS.forEach(k -> paths.put(k, ENV_PREFIX + k.toUpperCase(Locale.ROOT)));
        Map<String, String> byEnv = new TreeMap<>();
        paths.forEach((path, env) -> byEnv.put(env, path));
        return byEnv;
    }

    private static void applyEnv(YamlTree tree, Map<String, String> env, List<ConfigError> errors) {
        Map<String, String> known = envPaths();
        new TreeMap<>(env).forEach((name, value) -> {
            if (!name.startsWith(ENV_PREFIX)) {
                return;
            }
            String path = known.get(name);
            if (path == null) {
                errors.add(new ConfigError("environment", 0, 0, name, "not a config parameter"
                        + DidYouMean.suggest(name, known.keySet())));
                return;
            }
            tree.set(path, YamlTree.value(value), "environment " + name);
        });
    }

    private static Set<String> topKeys() {
        Set<String> keys = new java.util.HashSet<>(SECTIONS.keySet());
        keys.addAll(SCALARS);
        keys.add("tags");
        return Set.copyOf(keys);
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
