package io.entrenar.trainer.model;

import io.entrenar.trainer.config.TrainingConfig.SchedulerSpec;

/**
 * The learning rate at optimiser step {@code t} (1-based): linear warm-up over {@code warmup_steps},
 * then constant, step decay ({@code gamma} every {@code step_size} steps), or cosine annealing from
 * the base rate down to {@code min_lr} at the last planned step.
 */
public final class LearningRateSchedule {
    private final SchedulerSpec spec;
    private final double base;
    private final long totalSteps;

    public LearningRateSchedule(SchedulerSpec spec, double base, long totalSteps) {
        this.spec = spec;
        this.base = base;
        this.totalSteps = Math.max(1, totalSteps);
    }

    public double at(long t) {
        int warmup = spec.warmupSteps();
        if (warmup > 0 && t <= warmup) {
            return base * t / warmup;
        }
        long after = t - warmup;
        return switch (spec.type()) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(spec.gamma(), (after - 1) / spec.stepSize());
            case COSINE -> {
                long span = Math.max(1, totalSteps - warmup);
                double progress = Math.min(1.0, (double) after / span);
                yield spec.minLr() + 0.5 * (base - spec.minLr()) * (1 + Math.cos(Math.PI * progress));
            }
        };
    }
}
