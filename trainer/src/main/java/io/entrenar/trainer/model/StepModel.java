package io.entrenar.trainer.model;

import org.tribuo.math.Parameters;
import org.tribuo.math.la.Tensor;

/** A model trained on the trainer's own step loop: forward, loss and gradient for one example. */
interface StepModel {

    Parameters parameters();

    /** Raw class scores (logits) for {@code x}; {@code out} has one slot per class. */
    void logits(double[] x, double[] out);

    /**
     * Adds this example's gradient (uphill, Tribuo's convention) into {@code acc} and returns its loss.
     * With {@code soft != null} the loss is distillation's: {@code alpha T^2 KL(soft || softmax(z/T))
     * + (1 - alpha) CE(y, softmax(z))}, where {@code soft} is the teacher's softened distribution.
     *
     * @param train whether dropout applies
     */
    double accumulate(double[] x, int y, double[] soft, double alpha, double temperature, Tensor[] acc,
            boolean train, Rng rng);

    /** The negative loss gradient with respect to the logits (uphill), and the loss; shared by models. */
    static double logitGradient(double[] z, int y, double[] soft, double alpha, double temperature, double[] out) {
        double[] p = softmax(z, 1.0, out);
        double ce = -Math.log(Math.max(p[y], Double.MIN_NORMAL));
        if (Double.isNaN(p[y])) {
            ce = Double.NaN;
        }
        if (soft == null) {
            for (int k = 0; k < out.length; k++) {
                out[k] = (k == y ? 1 : 0) - p[k];
            }
            return ce;
        }
        double[] pt = softmax(z, temperature, new double[z.length]);
        double kl = 0;
        for (int k = 0; k < out.length; k++) {
            if (soft[k] > 0) {
                kl += soft[k] * (Math.log(soft[k]) - Math.log(Math.max(pt[k], Double.MIN_NORMAL)));
            }
        }
        for (int k = 0; k < out.length; k++) {
            double hard = (k == y ? 1 : 0) - p[k];
            double distill = temperature * (soft[k] - pt[k]);
            out[k] = (1 - alpha) * hard + alpha * distill;
        }
        return (1 - alpha) * ce + alpha * temperature * temperature * kl;
    }

    static double[] softmax(double[] z, double temperature, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v / temperature);
        }
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            out[k] = Math.exp(z[k] / temperature - max);
            sum += out[k];
        }
        for (int k = 0; k < z.length; k++) {
            out[k] /= sum;
        }
        return out;
    }
}
