package io.entrenar.trainer.model;

import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.classification.sgd.LabelObjective;
import org.tribuo.classification.sgd.objectives.Hinge;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.Parameters;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.SGDVector;
import org.tribuo.math.la.Tensor;

/**
 * Multiclass linear models on Tribuo's {@link LinearParameters} (weights with a bias column):
 * logistic regression with {@link LogMulticlass}, or a linear SVM-style model with Tribuo's
 * multiclass {@link Hinge} objective ({@code linear_sgd}). Distillation needs probabilities, so it
 * is defined for the logistic objective (a student of {@code linear_sgd} is trained as logistic).
 */
final class LinearModel implements StepModel {
    private final LinearParameters params;
    private final LabelObjective objective;
    private final boolean logistic;
    private final int features;
    private final double[] zBuf;
    private final double[] gBuf;

    LinearModel(int features, int classes, boolean logistic) {
        this.params = new LinearParameters(features + 1, classes);
        this.logistic = logistic;
        this.objective = logistic ? new LogMulticlass() : new Hinge();
        this.features = features;
        this.zBuf = new double[classes];
        this.gBuf = new double[classes];
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    private DenseVector withBias(double[] x) {
        double[] v = new double[features + 1];
        System.arraycopy(x, 0, v, 0, features);
        v[features] = 1.0;
        return DenseVector.createDenseVector(v);
    }

    @Override
    public void logits(double[] x, double[] out) {
        DenseVector z = params.predict(withBias(x));
        for (int k = 0; k < out.length; k++) {
            out[k] = z.get(k);
        }
    }

    @Override
    public double accumulate(double[] x, int y, double[] soft, double alpha, double temperature, Tensor[] acc,
            boolean train, Rng rng) {
        DenseVector input = withBias(x);
        DenseVector scores = params.predict(input);
        Pair<Double, SGDVector> lossAndGrad;
        double loss;
        if (soft == null) {
            lossAndGrad = objective.lossAndGradient(y, scores);
            // Tribuo's objectives return the objective value to maximise; the loss is its negation.
            loss = -lossAndGrad.getA();
        } else {
            for (int k = 0; k < zBuf.length; k++) {
                zBuf[k] = scores.get(k);
            }
            loss = StepModel.logitGradient(zBuf, y, soft, alpha, temperature, gBuf);
            lossAndGrad = new Pair<>(-loss, DenseVector.createDenseVector(gBuf));
        }
        Tensor[] g = params.gradients(lossAndGrad, input);
        for (int i = 0; i < acc.length; i++) {
            acc[i].intersectAndAddInPlace(g[i]);
        }
        return loss;
    }

    DenseMatrix weights() {
        return params.getWeightMatrix();
    }

    boolean logistic() {
        return logistic;
    }
}
