package io.entrenar.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.Tensor;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.math.optimisers.SGD;

import io.entrenar.trainer.config.TrainingConfig.OptimizerName;
import io.entrenar.trainer.config.TrainingConfig.OptimizerSpec;
import io.entrenar.trainer.config.TrainingConfig.SchedulerSpec;
import io.entrenar.trainer.config.TrainingConfig.SchedulerType;

class OptimiserTest {
    private static final SchedulerSpec CONSTANT = new SchedulerSpec(SchedulerType.CONSTANT, 0, 0, 1, 1);

    private static OptimizerSpec spec(OptimizerName name, double lr, double clipNorm, double clipValue, double momentum,
            double weightDecay) {
        return new OptimizerSpec(name, lr, clipNorm, clipValue, momentum, weightDecay, 0.9, 0.999, 1e-8);
    }

    private static LinearParameters params(double a, double b) {
        LinearParameters p = new LinearParameters(2, 1);
        p.getWeightMatrix().set(0, 0, a);
        p.getWeightMatrix().set(0, 1, b);
        return p;
    }

    private static Tensor[] grad(double a, double b) {
        return new Tensor[] {DenseMatrix.createDenseMatrix(new double[][] {{a, b}})};
    }

    private static double at(Tensor[] t, int j) {
        return ((DenseMatrix) t[0]).get(0, j);
    }

    /**
     * Expected values worked out from Kingma and Ba's update (bias-corrected moments, beta1 0.9,
     * beta2 0.999, eps 1e-8, lr 0.1), independently of this code. Step 2 by hand:
     * m = (0.055, -0.07), v = (0.00025975, 0.001039), mhat = m / 0.19, vhat = v / 0.001999,
     * delta = 0.1 mhat / sqrt(vhat) = (0.0803041, -0.0511026).
     */
    @Test
    void adamMatchesHandComputedSteps() {
        TrainingOptimiser adam = new TrainingOptimiser(spec(OptimizerName.ADAM, 0.1, 0, 0, 0, 0),
                new LearningRateSchedule(CONSTANT, 0.1, 100));
        adam.initialise(params(1.0, -2.0));
        double[][] grads = {{0.5, -1.0}, {0.1, 0.2}, {-0.3, 0.05}};
        double[][] expected = {{0.09999999800000003, -0.09999999900000002}, {0.08030409561534818, -0.051102607009505405},
                {0.02107129462114371, -0.036323629416139674}};
        for (int t = 0; t < grads.length; t++) {
            Tensor[] delta = adam.step(grad(grads[t][0], grads[t][1]), 1.0);
            assertEquals(expected[t][0], at(delta, 0), 1e-15, "step " + (t + 1));
            assertEquals(expected[t][1], at(delta, 1), 1e-15, "step " + (t + 1));
        }
    }

    @Test
    void adamWDecaysWeightsDecoupledFromTheGradient() {
        LinearParameters p = params(1.0, -2.0);
        TrainingOptimiser adamw = new TrainingOptimiser(spec(OptimizerName.ADAMW, 0.1, 0, 0, 0, 0.01),
                new LearningRateSchedule(CONSTANT, 0.1, 100));
        adamw.initialise(p);
        Tensor[] delta = adamw.step(grad(0.5, -1.0), 1.0);
        assertEquals(0.09999999800000003 - 0.1 * 0.01 * 1.0, at(delta, 0), 1e-15);
        assertEquals(-0.09999999900000002 - 0.1 * 0.01 * -2.0, at(delta, 1), 1e-15);
    }

    /** Our SGD, momentum and AdaGrad give Tribuo's own updates on the same gradients at a constant rate. */
    @Test
    void sgdMomentumAndAdaGradAgreeWithTribuo() {
        compare(spec(OptimizerName.SGD, 0.05, 0, 0, 0, 0), SGD.getSimpleSGD(0.05));
        compare(spec(OptimizerName.MOMENTUM, 0.05, 0, 0, 0.9, 0), SGD.getSimpleSGD(0.05, 0.9, SGD.Momentum.STANDARD));
        compare(new OptimizerSpec(OptimizerName.ADAGRAD, 0.3, 0, 0, 0, 0, 0.9, 0.999, 1e-6), new AdaGrad(0.3, 1e-6));
    }

    private static void compare(OptimizerSpec ours, StochasticGradientOptimiser theirs) {
        TrainingOptimiser a = new TrainingOptimiser(ours, new LearningRateSchedule(CONSTANT, ours.lr(), 100));
        a.initialise(params(0.3, 0.7));
        theirs.initialise(params(0.3, 0.7));
        Rng rng = new Rng(3);
        for (int t = 0; t < 6; t++) {
            double g0 = rng.nextGaussian();
            double g1 = rng.nextGaussian();
            Tensor[] x = a.step(grad(g0, g1), 1.0);
            Tensor[] y = theirs.step(grad(g0, g1), 1.0);
            assertEquals(at(y, 0), at(x, 0), 1e-12, ours.name() + " step " + t);
            assertEquals(at(y, 1), at(x, 1), 1e-12, ours.name() + " step " + t);
        }
    }

    @Test
    void clippingByNormAndByValue() {
        TrainingOptimiser byNorm = new TrainingOptimiser(spec(OptimizerName.SGD, 1.0, 1.0, 0, 0, 0),
                new LearningRateSchedule(CONSTANT, 1.0, 10));
        byNorm.initialise(params(0, 0));
        Tensor[] d = byNorm.step(grad(3, 4), 1.0);
        assertEquals(5.0, byNorm.lastGradientNorm(), 1e-12, "the reported norm is before clipping");
        assertEquals(0.6, at(d, 0), 1e-12);
        assertEquals(0.8, at(d, 1), 1e-12);

        TrainingOptimiser byValue = new TrainingOptimiser(spec(OptimizerName.SGD, 1.0, 0, 0.5, 0, 0),
                new LearningRateSchedule(CONSTANT, 1.0, 10));
        byValue.initialise(params(0, 0));
        d = byValue.step(grad(3, -0.2), 1.0);
        assertEquals(0.5, at(d, 0), 1e-12);
        assertEquals(-0.2, at(d, 1), 1e-12);
    }

    @Test
    void schedules() {
        LearningRateSchedule cosine = new LearningRateSchedule(new SchedulerSpec(SchedulerType.COSINE, 10, 0.0, 1, 1), 1.0, 110);
        assertEquals(0.5, cosine.at(5), 1e-12, "half-way through warm-up");
        assertEquals(1.0, cosine.at(10), 1e-12);
        assertEquals(0.5, cosine.at(60), 1e-12, "half-way through the cosine");
        assertEquals(0.0, cosine.at(110), 1e-12);
        LearningRateSchedule step = new LearningRateSchedule(new SchedulerSpec(SchedulerType.STEP, 0, 0, 10, 0.5), 1.0, 100);
        assertEquals(1.0, step.at(1));
        assertEquals(1.0, step.at(10));
        assertEquals(0.5, step.at(11));
        assertEquals(0.25, step.at(21));
        TrainingOptimiser scheduled = new TrainingOptimiser(spec(OptimizerName.SGD, 1.0, 0, 0, 0, 0), cosine);
        scheduled.initialise(params(0, 0));
        for (int t = 0; t < 60; t++) {
            scheduled.step(grad(1, 1), 1.0);
        }
        assertEquals(0.5, scheduled.lastLearningRate(), 1e-12, "the optimiser follows its schedule step by step");
        assertTrue(scheduled.stepCount() == 60);
    }

    @Test
    void normOfHugeFiniteValuesIsFiniteAndOfAnInfinityIsInfinite() {
        DenseMatrix huge = DenseMatrix.createDenseMatrix(new double[][] {{1e300, 1e300}, {1e300, 1e300}});
        assertEquals(2e300, TrainingOptimiser.norm(new Tensor[] {huge}), 1e286);
        DenseMatrix broken = DenseMatrix.createDenseMatrix(new double[][] {{1, 1}, {1, Double.POSITIVE_INFINITY}});
        assertEquals(Double.POSITIVE_INFINITY, TrainingOptimiser.norm(new Tensor[] {huge, broken}));
        DenseMatrix nan = new DenseMatrix(1, 1);
        nan.set(0, 0, Double.NaN);
        assertTrue(Double.isNaN(TrainingOptimiser.norm(new Tensor[] {nan})));
    }
}
