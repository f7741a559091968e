package io.entrenar.processors;

/** One-dimensional Kalman filter over the progress rate; see {@link EtaSettings} for the noise model. */
final class KalmanRateFilter {
    double rate;
    /** Posterior variance P of the rate. */
    double variance;
    double gain;
    boolean initialized;

    /** Folds in an observed rate measured over {@code dtSecs} seconds. */
    void observe(double observedRate, double dtSecs, EtaSettings settings) {
        if (!initialized) {
            // The first observation is the estimate, with the measurement's own uncertainty.
            rate = observedRate;
            variance = square(settings.measurementNoise() * scale(observedRate, observedRate));
            gain = 1.0;
            initialized = true;
            return;
        }
        double scale = scale(rate, observedRate);
        double prior = variance + square(settings.processNoise() * scale) * dtSecs;
        double measurement = square(settings.measurementNoise() * scale);
        gain = prior / (prior + measurement);
        rate = rate + gain * (observedRate - rate);
        variance = (1 - gain) * prior;
    }

    private static double scale(double estimate, double observed) {
        double s = Math.abs(estimate);
        return s > 1e-9 ? s : Math.max(Math.abs(observed), 1e-9);
    }

    private static double square(double x) {
        return x * x;
    }
}
