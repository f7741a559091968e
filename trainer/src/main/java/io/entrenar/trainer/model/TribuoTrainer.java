package io.entrenar.trainer.model;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.sgd.fm.FMClassificationTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.common.xgboost.XGBoostModel;
import org.tribuo.ensemble.EnsembleModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import io.entrenar.trainer.config.TrainingConfig;
import io.entrenar.trainer.data.Dataset;
import io.entrenar.trainer.listen.ModelArtifact;
import io.entrenar.trainer.listen.RunListener;
import io.entrenar.trainer.listen.RunStop;
import io.entrenar.trainer.listen.RunSummary;
import io.entrenar.trainer.listen.TrainingFailure.Category;

/**
 * Models trained by Tribuo's own trainers: CART, random forests, XGBoost and factorization
 * machines. Tribuo has no training callbacks, so telemetry comes from what each model exposes after
 * (or while) training: a forest is scored tree by tree (votes of the first k members), XGBoost round
 * by round ({@code Booster.predict} with a tree limit), and the factorization machine step by step
 * through our {@link TrainingOptimiser} plus the loss Tribuo logs through java.util.logging.
 */
public final class TribuoTrainer {
    private static final LabelFactory LABELS = new LabelFactory();
    private static final Pattern AVERAGE_LOSS = Pattern.compile("At iteration (\\d+), average loss = (-?Infinity|-?[0-9.eE+-]+|NaN)");

    private final TrainingConfig config;
    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;
    private final Path outputDir;

    public TribuoTrainer(TrainingConfig config, Dataset train, Dataset validation, Dataset test, Path outputDir) {
        this.config = config;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.outputDir = outputDir;
    }

    public long plannedSteps() {
        var m = config.model();
        return switch (m.arch()) {
            case RANDOM_FOREST, XGBOOST -> m.trees();
            case FACTORIZATION_MACHINE -> (long) config.training().epochs() * train.rows();
            default -> 1;
        };
    }

    public RunOutcome train(String runId, RunListener run) {
        long started = System.currentTimeMillis();
        var spec = config.model();
        MutableDataset<Label> trainSet = tribuo(train);
        // Tribuo trains in one call: commands are obeyed before it starts and before the model is written.
        ControlPoints control = new ControlPoints(run, config.approval());
        try {
            String stop = control.beforeStep(0, 0);
            if (stop != null) {
                return stopped(runId, run, new RunStop(stop, 0, 0, null));
            }
            Model<Label> model = switch (spec.arch()) {
                case CART -> {
                    Model<Label> cart = new CARTClassificationTrainer(depth(), (float) spec.featureFraction(),
                            config.seed()).train(trainSet);
                    Evaluation v = evaluate(cart, validation);
                    run.epoch(1, 1, evaluate(cart, train).loss(), v.loss(), v.accuracy(), v.macroF1());
                    yield cart;
                }
                case RANDOM_FOREST -> forest(trainSet, run);
                case XGBOOST -> xgboost(trainSet, run);
                case FACTORIZATION_MACHINE -> factorizationMachine(trainSet, run);
                default -> throw new IllegalArgumentException("not a Tribuo-trained model: " + spec.arch());
            };
            long steps = plannedSteps();
            stop = control.beforeModel(steps, config.training().epochs());
            if (stop != null) {
                return stopped(runId, run, new RunStop(stop, steps, config.training().epochs(), null));
            }
            Evaluation testEval = evaluate(model, test);
            Evaluation val = evaluate(model, validation);
            ModelArtifact artifact = write(model);
            run.artifactWritten(artifact);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("test_accuracy", testEval.accuracy());
            metrics.put("test_macro_f1", testEval.macroF1());
            metrics.put("test_loss", testEval.loss());
            metrics.put("val_accuracy", val.accuracy());
            metrics.put("val_macro_f1", val.macroF1());
            run.finished(new RunSummary(metrics, train.labels(), testEval.confusion(), steps,
                    config.training().epochs(), System.currentTimeMillis() - started));
            run.flush();
            return RunOutcome.completed(runId, metrics, artifact, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            var f = Failures.of("E_INTERRUPTED", Category.INFRA, "training interrupted", "rerun the job", e, 0, 0);
            run.failed(f);
            run.flush();
            return RunOutcome.failed(runId, f);
        } catch (OutOfMemoryError e) {
            var f = Failures.outOfMemory(e, 0, 0, config.data().batchSize());
            run.failed(f);
            run.flush();
            return RunOutcome.failed(runId, f);
        } catch (RuntimeException e) {
            var f = Failures.of("E_UNEXPECTED", Category.MODEL, spec.arch() + " training failed: " + e,
                    "report it with the stack and the config", e, 0, 0);
            run.failed(f);
            run.flush();
            return RunOutcome.failed(runId, f);
        } catch (IOException | XGBoostError e) {
            var f = Failures.of("E_IO", Category.INFRA, spec.arch() + " training failed: " + e.getMessage(),
                    "check the output directory and, for XGBoost, that its native library loads", e, 0, 0);
            run.failed(f);
            run.flush();
            return RunOutcome.failed(runId, f);
        }
    }

    private static RunOutcome stopped(String runId, RunListener run, RunStop stop) {
        run.stopped(stop);
        run.flush();
        return RunOutcome.stopped(runId, stop);
    }

    private int depth() {
        return config.model().maxDepth() == 0 ? Integer.MAX_VALUE : config.model().maxDepth();
    }

    private Model<Label> forest(MutableDataset<Label> trainSet, RunListener run) {
        var spec = config.model();
        var cart = new CARTClassificationTrainer(depth(), (float) spec.featureFraction(), config.seed());
        EnsembleModel<Label> forest = new RandomForestTrainer<>(cart, new VotingCombiner(), spec.trees(), config.seed())
                .train(trainSet);
        List<Model<Label>> members = forest.getModels();
        // The forest of the first k trees, round by round, on both splits: validation for the metrics,
        // train for the training loss (a forest has no optimisation loss; its vote log-loss is the analogue).
        Votes onValidation = new Votes(validation);
        Votes onTrain = new Votes(train);
        for (int k = 0; k < members.size(); k++) {
            onValidation.add(members.get(k));
            onTrain.add(members.get(k));
            Evaluation e = onValidation.evaluate(k + 1);
            run.epoch(k + 1, k + 1, onTrain.evaluate(k + 1).loss(), e.loss(), e.accuracy(), e.macroF1());
        }
        return forest;
    }

    /**
     * The rows as XGBoost sees them, columns in Tribuo's feature-id order; every value present, as in
     * Tribuo's own conversion of dense examples.
     */
    private static DMatrix matrix(Dataset d, ImmutableFeatureMap features) throws XGBoostError {
        int cols = features.size();
        float[] data = new float[d.rows() * cols];
        int[] column = new int[d.features()];
        for (int j = 0; j < column.length; j++) {
            column[j] = features.getID(d.featureNames().get(j));
        }
        for (int i = 0; i < d.rows(); i++) {
            for (int j = 0; j < column.length; j++) {
                if (column[j] >= 0) {
                    data[i * cols + column[j]] = (float) d.x()[i][j];
                }
            }
        }
        return new DMatrix(data, d.rows(), cols, Float.NaN);
    }

    private Model<Label> xgboost(MutableDataset<Label> trainSet, RunListener run) throws XGBoostError {
        var spec = config.model();
        var trainer = new XGBoostClassificationTrainer(spec.trees(), spec.eta(), 0, spec.maxDepth(), 1, 1,
                spec.featureFraction(), 1, 0, config.compute().threads(), true, config.seed());
        XGBoostModel<Label> model = trainer.train(trainSet);
        Booster booster = model.getInnerModels().get(0);
        DMatrix trainMatrix = matrix(train, model.getFeatureIDMap());
        DMatrix valMatrix = matrix(validation, model.getFeatureIDMap());
        int[] columnToClass = new int[train.classes()];
        for (int c = 0; c < columnToClass.length; c++) {
            columnToClass[c] = train.labels().indexOf(model.getOutputIDInfo().getOutput(c).getLabel());
        }
        for (int k = 1; k <= spec.trees(); k++) {
            Evaluation tr = fromProbabilities(booster.predict(trainMatrix, false, k), train, columnToClass);
            Evaluation v = fromProbabilities(booster.predict(valMatrix, false, k), validation, columnToClass);
            run.step(k, k, tr.loss(), spec.eta(), Double.NaN);
            run.epoch(k, k, tr.loss(), v.loss(), v.accuracy(), v.macroF1());
        }
        return model;
    }

    private static Evaluation fromProbabilities(float[][] p, Dataset d, int[] columnToClass) {
        int[] predicted = new int[d.rows()];
        double loss = 0;
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            double[] byClass = new double[d.classes()];
            for (int col = 0; col < p[i].length; col++) {
                byClass[columnToClass[col]] = p[i][col];
            }
            for (int c = 1; c < byClass.length; c++) {
                if (byClass[c] > byClass[best]) {
                    best = c;
                }
            }
            predicted[i] = best;
            loss += -Math.log(Math.max(1e-15, byClass[d.y()[i]]));
        }
        return Evaluation.of(d.y(), predicted, loss, d.classes());
    }

    private Model<Label> factorizationMachine(MutableDataset<Label> trainSet, RunListener run) {
        // One example per step: Tribuo 4.3.2's FMParameters.merge throws ClassCastException on dense
        // minibatches. Tribuo logs the loss averaged over batch_size x log_every_steps examples.
        long stepsPerEpoch = train.rows();
        TrainingOptimiser optimiser = new TrainingOptimiser(config.optimizer(),
                new LearningRateSchedule(config.scheduler(), config.optimizer().lr(), plannedSteps()));
        int logEvery = config.monitoring().logEverySteps() * config.data().batchSize();
        Logger logger = Logger.getLogger("org.tribuo.common.sgd");
        // Tribuo trains on a copy() of the optimiser; the copy reports its steps through the observer.
        double[] last = new double[3];
        optimiser.observe((step, lr, norm) -> {
            last[0] = step;
            last[1] = lr;
            last[2] = norm;
        });
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                Object[] args = record.getParameters();
                double value;
                if (args != null && args.length >= 2 && args[1] instanceof Number n) {
                    value = n.doubleValue();
                } else {
                    Matcher m = AVERAGE_LOSS.matcher(String.valueOf(record.getMessage()));
                    if (!m.find()) {
                        return;
                    }
                    value = Double.parseDouble(m.group(2));
                }
                long step = (long) last[0];
                // Tribuo logs the average objective value (log-likelihood); the loss is its negation.
                run.step(step, (int) (Math.max(0, step - 1) / stepsPerEpoch) + 1, -value, last[1], last[2]);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level previous = logger.getLevel();
        boolean parents = logger.getUseParentHandlers();
        logger.setLevel(Level.INFO);
        logger.setUseParentHandlers(false);
        logger.addHandler(capture);
        try {
            var trainer = new FMClassificationTrainer(new LogMulticlass(), optimiser, config.training().epochs(),
                    logEvery, 1, config.seed(), config.model().factors(), 0.1);
            Model<Label> model = trainer.train(trainSet);
            Evaluation v = evaluate(model, validation);
            run.epoch(config.training().epochs(), (long) last[0], evaluate(model, train).loss(), v.loss(),
                    v.accuracy(), v.macroF1());
            return model;
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(previous);
            logger.setUseParentHandlers(parents);
        }
    }

    Evaluation evaluate(Model<Label> model, Dataset d) {
        List<Prediction<Label>> predictions = model.predict(examples(d));
        int[] predicted = new int[d.rows()];
        double loss = 0;
        for (int i = 0; i < predictions.size(); i++) {
            Prediction<Label> p = predictions.get(i);
            predicted[i] = d.labels().indexOf(p.getOutput().getLabel());
            Label truth = p.getOutputScores().get(d.labels().get(d.y()[i]));
            double prob = truth == null ? 0 : truth.getScore();
            loss += -Math.log(Math.max(1e-15, Double.isFinite(prob) ? prob : 0));
        }
        return Evaluation.of(d.y(), predicted, loss, d.classes());
    }

    /**
     * Tribuo's protobuf file, plus a canonical hash of the model's behaviour (every score on every row of
     * train, validation and test): the file itself embeds a wall-clock provenance timestamp.
     */
    private ModelArtifact write(Model<Label> model) throws IOException {
        Files.createDirectories(outputDir);
        Path file = outputDir.resolve("model.tribuo");
        Path tmp = outputDir.resolve(".model.tribuo.tmp");
        model.serializeToFile(tmp);
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] bytes = Files.readAllBytes(file);
        ByteArrayOutputStream canonical = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(canonical)) {
            out.writeUTF(config.model().arch().name());
            for (Dataset d : List.of(train, validation, test)) {
                for (Prediction<Label> p : model.predict(examples(d))) {
                    out.writeUTF(p.getOutput().getLabel());
                    for (String label : d.labels()) {
                        Label s = p.getOutputScores().get(label);
                        out.writeDouble(s == null ? Double.NaN : s.getScore());
                    }
                }
            }
        }
        return new ModelArtifact("model", file, AtomicFiles.sha256(bytes), AtomicFiles.sha256(canonical.toByteArray()),
                bytes.length, "tribuo-model-proto");
    }

    private static MutableDataset<Label> tribuo(Dataset d) {
        MutableDataset<Label> set = new MutableDataset<>(new SimpleDataSourceProvenance(d.name(), LABELS), LABELS);
        set.addAll(examples(d));
        return set;
    }

    private static List<Example<Label>> examples(Dataset d) {
        String[] names = d.featureNames().toArray(String[]::new);
        List<Example<Label>> list = new ArrayList<>(d.rows());
        for (int i = 0; i < d.rows(); i++) {
            list.add(new ArrayExample<>(new Label(d.labels().get(d.y()[i])), names, d.x()[i]));
        }
        return list;
    }

    /** Majority votes of a growing forest over one split's rows. */
    private final class Votes {
        private final Dataset data;
        private final List<Example<Label>> examples;
        private final int[][] counts;

        Votes(Dataset data) {
            this.data = data;
            this.examples = examples(data);
            this.counts = new int[data.rows()][data.classes()];
        }

        void add(Model<Label> tree) {
            List<Prediction<Label>> predictions = tree.predict(examples);
            for (int i = 0; i < predictions.size(); i++) {
                counts[i][data.labels().indexOf(predictions.get(i).getOutput().getLabel())]++;
            }
        }

        /** Accuracy and vote log-loss of the forest of the first {@code trees} trees. */
        Evaluation evaluate(int trees) {
            int[] predicted = new int[data.rows()];
            double loss = 0;
            for (int i = 0; i < counts.length; i++) {
                int best = 0;
                for (int c = 1; c < counts[i].length; c++) {
                    if (counts[i][c] > counts[i][best]) {
                        best = c;
                    }
                }
                predicted[i] = best;
                loss += -Math.log(Math.max(1e-6, (double) counts[i][data.y()[i]] / trees));
            }
            return Evaluation.of(data.y(), predicted, loss, data.classes());
        }
    }
}
