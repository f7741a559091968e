package io.entrenar.trainer.model;

import org.tribuo.math.Parameters;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.Tensor;

import io.entrenar.trainer.config.TrainingConfig.Activation;
import io.entrenar.trainer.config.TrainingConfig.Init;

/**
 * A multilayer perceptron written on Tribuo's linear algebra: hidden layers with relu, tanh,
 * sigmoid or gelu, inverted dropout while training, He or Xavier initialisation, softmax output
 * with cross-entropy, and backpropagation by hand.
 */
final class MlpModel implements StepModel {
    private final MlpParameters params;
    private final int layers;
    private final Activation activation;
    private final double dropout;
    private final double[] zBuf;
    private final double[] gBuf;

    MlpModel(int features, java.util.List<Integer> hidden, int classes, Activation activation, double dropout,
            Init init, Rng rng) {
        int[] widths = new int[hidden.size() + 2];
        widths[0] = features;
        for (int i = 0; i < hidden.size(); i++) {
            widths[i + 1] = hidden.get(i);
        }
        widths[widths.length - 1] = classes;
        this.params = new MlpParameters(widths);
        this.layers = widths.length - 1;
        this.activation = activation;
        this.dropout = dropout;
        this.zBuf = new double[classes];
        this.gBuf = new double[classes];
        boolean he = init == Init.HE || init == Init.AUTO && (activation == Activation.RELU || activation == Activation.GELU);
        for (int l = 0; l < layers; l++) {
            DenseMatrix w = params.weight(l);
            int fanIn = widths[l];
            int fanOut = widths[l + 1];
            double heStd = Math.sqrt(2.0 / fanIn);
            double xavier = Math.sqrt(6.0 / (fanIn + fanOut));
            for (int o = 0; o < fanOut; o++) {
                for (int i = 0; i < fanIn; i++) {
                    w.set(o, i, he ? rng.nextGaussian() * heStd : (2 * rng.nextDouble() - 1) * xavier);
                }
            }
        }
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public void logits(double[] x, double[] out) {
        DenseVector a = DenseVector.createDenseVector(x);
        for (int l = 0; l < layers; l++) {
            DenseVector z = params.weight(l).leftMultiply(a);
            z.intersectAndAddInPlace(params.bias(l));
            if (l < layers - 1) {
                z.foreachInPlace(this::act);
            }
            a = z;
        }
        for (int k = 0; k < out.length; k++) {
            out[k] = a.get(k);
        }
    }

    @Override
    public double accumulate(double[] x, int y, double[] soft, double alpha, double temperature, Tensor[] acc,
            boolean train, Rng rng) {
        DenseVector[] inputs = new DenseVector[layers];
        DenseVector[] pre = new DenseVector[layers];
        DenseVector[] masks = new DenseVector[layers];
        DenseVector a = DenseVector.createDenseVector(x);
        for (int l = 0; l < layers; l++) {
            inputs[l] = a;
            DenseVector z = params.weight(l).leftMultiply(a);
            z.intersectAndAddInPlace(params.bias(l));
            pre[l] = z;
            if (l < layers - 1) {
                DenseVector h = z.copy();
                h.foreachInPlace(this::act);
                if (train && dropout > 0) {
                    DenseVector mask = new DenseVector(h.size());
                    double keep = 1 - dropout;
                    for (int i = 0; i < mask.size(); i++) {
                        mask.set(i, rng.nextDouble() < keep ? 1 / keep : 0);
                    }
                    h.hadamardProductInPlace(mask);
                    masks[l] = mask;
                }
                a = h;
            } else {
                a = z;
            }
        }
        for (int k = 0; k < zBuf.length; k++) {
            zBuf[k] = a.get(k);
        }
        double loss = StepModel.logitGradient(zBuf, y, soft, alpha, temperature, gBuf);
        DenseVector delta = DenseVector.createDenseVector(gBuf);
        for (int l = layers - 1; l >= 0; l--) {
            acc[2 * l].intersectAndAddInPlace(delta.outer(inputs[l]));
            acc[2 * l + 1].intersectAndAddInPlace(delta);
            if (l > 0) {
                DenseVector back = params.weight(l).rightMultiply(delta);
                if (masks[l - 1] != null) {
                    back.hadamardProductInPlace(masks[l - 1]);
                }
                DenseVector z = pre[l - 1];
                for (int i = 0; i < back.size(); i++) {
                    back.set(i, back.get(i) * actGrad(z.get(i)));
                }
                delta = back;
            }
        }
        return loss;
    }

    private double act(double z) {
        return switch (activation) {
            case RELU -> z > 0 ? z : 0;
            case TANH -> Math.tanh(z);
            case SIGMOID -> 1 / (1 + Math.exp(-z));
            case GELU -> 0.5 * z * (1 + Math.tanh(GELU_C * (z + 0.044715 * z * z * z)));
        };
    }

    private static final double GELU_C = Math.sqrt(2 / Math.PI);

    private double actGrad(double z) {
        return switch (activation) {
            case RELU -> z > 0 ? 1 : 0;
            case TANH -> {
                double t = Math.tanh(z);
                yield 1 - t * t;
            }
            case SIGMOID -> {
                double s = 1 / (1 + Math.exp(-z));
                yield s * (1 - s);
            }
            case GELU -> {
                double u = GELU_C * (z + 0.044715 * z * z * z);
                double t = Math.tanh(u);
                yield 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * z * z);
            }
        };
    }
}
