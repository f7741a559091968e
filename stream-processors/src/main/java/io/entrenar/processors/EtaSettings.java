package io.entrenar.processors;

import java.time.Duration;

/**
 * Kalman filter of the progress rate (spec 17). The state is the rate r in steps/s, modelled as a
 * random walk. Noise is relative to the current estimate so that one setting fits runs of 1 and
 * of 10,000 steps/s:
 * <ul>
 *   <li>process noise: Q = (processNoise · r)² · Δt, with Δt in seconds — how fast the true rate may wander;</li>
 *   <li>measurement noise: R = (measurementNoise · r)² — spread of one observed rate (steps over at least {@code minObservation}).</li>
 * </ul>
 * Remaining time = (total − step) / r, its standard deviation ≈ remaining · √P / r.
 */
record EtaSettings(double processNoise, double measurementNoise, Duration minObservation, double confidence) {
    EtaSettings {
        if (!(processNoise >= 0) || Double.isInfinite(processNoise)) {
            throw new IllegalArgumentException("the ETA process noise must be zero or positive, got " + processNoise);
        }
        if (!(measurementNoise > 0) || Double.isInfinite(measurementNoise)) {
            throw new IllegalArgumentException("the ETA measurement noise must be positive, got " + measurementNoise);
        }
        if (minObservation.isNegative() || minObservation.isZero()) {
            throw new IllegalArgumentException("the ETA observation interval must be positive, got " + minObservation);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("the ETA confidence must be in (0, 1), got " + confidence);
        }
    }

    static EtaSettings defaults() {
        return new EtaSettings(0.05, 0.2, Duration.ofSeconds(1), 0.05);
    }
}
