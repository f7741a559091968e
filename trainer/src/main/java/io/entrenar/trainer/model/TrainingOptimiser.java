package io.entrenar.trainer.model;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import org.tribuo.math.Parameters;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.Tensor;

import io.entrenar.trainer.config.TrainingConfig.OptimizerName;
import io.entrenar.trainer.config.TrainingConfig.OptimizerSpec;

/**
 * One optimiser step as the trainer defines it, behind Tribuo's {@link StochasticGradientOptimiser}
 * so that Tribuo's own trainers (factorization machines) run on it too: scheduled learning rate,
 * gradient norm (measured before clipping), clipping by value then by global norm, L2 weight decay
 * (decoupled for AdamW), then the update rule. The last rate and norm stay readable for telemetry.
 */
public final class TrainingOptimiser implements StochasticGradientOptimiser {
    private final OptimizerSpec spec;
    private final LearningRateSchedule schedule;
    private final UpdateRule rule;
    private double lrFactor = 1;
    private long lrFactorFromStep = Long.MAX_VALUE;
    private Tensor[] params;
    private long step;
    private double lastLr;
    private double lastGradientNorm;
    private StepObserver observer;

    /** Told about every step; lets Tribuo-driven trainers report per-step telemetry. */
    public interface StepObserver {
        void stepped(long step, double learningRate, double gradientNorm);
    }

    public TrainingOptimiser(OptimizerSpec spec, LearningRateSchedule schedule) {
        this.spec = spec;
        this.schedule = schedule;
        this.rule = UpdateRule.of(spec);
    }

    /** Fault injection: multiply the learning rate by {@code factor} from step {@code fromStep} on. */
    public void blowUpLearningRate(double factor, long fromStep) {
        this.lrFactor = factor;
        this.lrFactorFromStep = fromStep;
    }

    public void observe(StepObserver stepObserver) {
        this.observer = stepObserver;
    }

    @Override
    public void initialise(Parameters parameters) {
        params = parameters.get();
        rule.initialise(parameters.getEmptyCopy(), parameters::getEmptyCopy);
        step = 0;
    }

    @Override
    public Tensor[] step(Tensor[] grads, double weight) {
        step++;
        double lr = schedule.at(step) * (step >= lrFactorFromStep ? lrFactor : 1);
        if (weight != 1) {
            for (Tensor g : grads) {
                g.scaleInPlace(weight);
            }
        }
        lastGradientNorm = norm(grads);
        lastLr = lr;
        if (spec.clipValue() > 0) {
            double c = spec.clipValue();
            for (Tensor g : grads) {
                g.foreachInPlace(a -> Math.max(-c, Math.min(c, a)));
            }
        }
        if (spec.clipNorm() > 0) {
            double n = spec.clipValue() > 0 ? norm(grads) : lastGradientNorm;
            if (n > spec.clipNorm()) {
                for (Tensor g : grads) {
                    g.scaleInPlace(spec.clipNorm() / n);
                }
            }
        }
        boolean decoupled = spec.name() == OptimizerName.ADAMW;
        double wd = spec.weightDecay();
        if (wd > 0 && !decoupled) {
            for (int i = 0; i < grads.length; i++) {
                grads[i].intersectAndAddInPlace(params[i], a -> -wd * a);
            }
        }
        Tensor[] delta = rule.apply(grads, lr);
        if (wd > 0 && decoupled) {
            for (int i = 0; i < delta.length; i++) {
                delta[i].intersectAndAddInPlace(params[i], a -> -lr * wd * a);
            }
        }
        if (observer != null) {
            observer.stepped(step, lr, lastGradientNorm);
        }
        return delta;
    }

    /** 2^-600: brings values up to Double.MAX_VALUE into a range whose squares do not overflow. */
    private static final double OVERFLOW_SCALE = 0x1p-600;

    /**
     * The 2-norm of all tensors. Non-finite only when a value is: the squares of huge but finite
     * values (a learning-rate blow-up on its way) overflow, and then the sum is taken again scaled
     * down, so that training halts on the NaN or infinity itself, with the right error code.
     */
    static double norm(Tensor[] tensors) {
        double sum = 0;
        for (Tensor t : tensors) {
            double n = t.twoNorm();
            sum += n * n;
        }
        double norm = Math.sqrt(sum);
        if (norm != Double.POSITIVE_INFINITY) {
            return norm;
        }
        double scaled = 0;
        for (Tensor t : tensors) {
            Tensor copy = t.copy();
            copy.scaleInPlace(OVERFLOW_SCALE);
            double n = copy.twoNorm();
            scaled += n * n;
        }
        return Math.sqrt(scaled) / OVERFLOW_SCALE;
    }

    public long stepCount() {
        return step;
    }

    public double lastLearningRate() {
        return lastLr;
    }

    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /** Moments / accumulators, for checkpoints. */
    Tensor[][] state() {
        return rule.state;
    }

    void restore(long steps) {
        this.step = steps;
        this.rule.t = steps;
    }

    @Override
    public void finalise() {
    }

    @Override
    public void reset() {
        step = 0;
        rule.t = 0;
    }

    @Override
    public TrainingOptimiser copy() {
        TrainingOptimiser copy = new TrainingOptimiser(spec, schedule);
        copy.lrFactor = lrFactor;
        copy.lrFactorFromStep = lrFactorFromStep;
        copy.observer = observer;
        return copy;
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "StochasticGradientOptimiser");
    }

    @Override
    public String toString() {
        return "TrainingOptimiser(" + spec + ")";
    }
}
