package io.entrenar.trainer.model;

import org.tribuo.math.la.Tensor;

import io.entrenar.trainer.config.TrainingConfig.OptimizerSpec;

/**
 * How a gradient becomes a parameter change, with a learning rate that may differ at every step
 * (Tribuo's optimisers fix it at construction, so schedules could not drive them). Gradients follow
 * Tribuo's convention: they point uphill on the objective (log-likelihood), and the returned change
 * is added to the parameters. {@link #apply} works in place on {@code grads}.
 */
abstract class UpdateRule {
    /** Per-parameter state (moments, squared sums, velocities), in checkpoint order. */
    Tensor[][] state = new Tensor[0][];
    long t;

    abstract void initialise(Tensor[] emptyCopy, java.util.function.Supplier<Tensor[]> more);

    abstract Tensor[] apply(Tensor[] grads, double lr);

    static UpdateRule of(OptimizerSpec spec) {
        return switch (spec.name()) {
            case SGD -> spec.momentum() > 0 ? new Momentum(spec.momentum()) : new Sgd();
            case MOMENTUM -> new Momentum(spec.momentum());
            case ADAGRAD -> new AdaGrad(spec.epsilon());
            case ADAM, ADAMW -> new Adam(spec.beta1(), spec.beta2(), spec.epsilon());
        };
    }

    static final class Sgd extends UpdateRule {
        @Override
        void initialise(Tensor[] emptyCopy, java.util.function.Supplier<Tensor[]> more) {
        }

        @Override
        Tensor[] apply(Tensor[] grads, double lr) {
            t++;
            for (Tensor g : grads) {
                g.scaleInPlace(lr);
            }
            return grads;
        }
    }

    /** Classical momentum: {@code v = mu v + g; delta = lr v}. */
    static final class Momentum extends UpdateRule {
        private final double mu;

        Momentum(double mu) {
            this.mu = mu;
        }

        @Override
        void initialise(Tensor[] emptyCopy, java.util.function.Supplier<Tensor[]> more) {
            state = new Tensor[][] {emptyCopy};
        }

        @Override
        Tensor[] apply(Tensor[] grads, double lr) {
            t++;
            Tensor[] v = state[0];
            for (int i = 0; i < grads.length; i++) {
                v[i].scaleInPlace(mu);
                v[i].intersectAndAddInPlace(grads[i]);
                grads[i].scaleInPlace(0);
                grads[i].intersectAndAddInPlace(v[i], a -> a * lr);
            }
            return grads;
        }
    }

    /** AdaGrad as Tribuo computes it: {@code G += g^2; delta = lr g / (eps + sqrt(G))}. */
    static final class AdaGrad extends UpdateRule {
        private final double eps;

        AdaGrad(double eps) {
            this.eps = eps;
        }

        @Override
        void initialise(Tensor[] emptyCopy, java.util.function.Supplier<Tensor[]> more) {
            state = new Tensor[][] {emptyCopy};
        }

        @Override
        Tensor[] apply(Tensor[] grads, double lr) {
            t++;
            Tensor[] sq = state[0];
            for (int i = 0; i < grads.length; i++) {
                sq[i].intersectAndAddInPlace(grads[i], a -> a * a);
                grads[i].hadamardProductInPlace(sq[i], a -> lr / (eps + Math.sqrt(a)));
            }
            return grads;
        }
    }

    /**
     * Adam (Kingma and Ba, 2015) with bias correction:
     * {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; delta = lr mhat / (sqrt(vhat) + eps)}.
     * Written here because Tribuo 4.3.2's Adam multiplies by {@code sqrt(v)+eps} instead of dividing.
     */
    static final class Adam extends UpdateRule {
        private final double beta1;
        private final double beta2;
        private final double eps;
        private Tensor[] scratch;

        Adam(double beta1, double beta2, double eps) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
        }

        @Override
        void initialise(Tensor[] emptyCopy, java.util.function.Supplier<Tensor[]> more) {
            state = new Tensor[][] {emptyCopy, more.get()};
            scratch = more.get();
        }

        @Override
        Tensor[] apply(Tensor[] grads, double lr) {
            t++;
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            Tensor[] m = state[0];
            Tensor[] v = state[1];
            for (int i = 0; i < grads.length; i++) {
                m[i].scaleInPlace(beta1);
                m[i].intersectAndAddInPlace(grads[i], a -> (1 - beta1) * a);
                v[i].scaleInPlace(beta2);
                v[i].intersectAndAddInPlace(grads[i], a -> (1 - beta2) * a * a);
                Tensor s = scratch[i];
                s.scaleInPlace(0);
                s.intersectAndAddInPlace(v[i], a -> 1 / (Math.sqrt(a / bc2) + eps));
                grads[i].scaleInPlace(0);
                grads[i].intersectAndAddInPlace(m[i]);
                grads[i].hadamardProductInPlace(s);
                grads[i].scaleInPlace(lr / bc1);
            }
            return grads;
        }
    }
}
