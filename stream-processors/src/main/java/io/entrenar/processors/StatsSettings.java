package io.entrenar.processors;

import java.time.Duration;

/** Window shapes and smoothing of the rolling statistics. */
record StatsSettings(Duration tumbling, Duration hopping, Duration hoppingAdvance, Duration grace,
                     double ewmaAlpha, int historySize, Duration closeCheckInterval, Duration runEmitInterval,
                     Duration finishedRetention) {
    StatsSettings {
        if (tumbling.isNegative() || tumbling.isZero() || hopping.isNegative() || hopping.isZero()
                || hoppingAdvance.isNegative() || hoppingAdvance.isZero()) {
            throw new IllegalArgumentException("window sizes and the hopping advance must be positive");
        }
        if (hoppingAdvance.compareTo(hopping) > 0) {
            throw new IllegalArgumentException("the hopping advance " + hoppingAdvance + " exceeds the hopping window " + hopping);
        }
        if (hopping.toNanos() % hoppingAdvance.toNanos() != 0) {
            throw new IllegalArgumentException("the hopping window " + hopping + " must be a multiple of its advance " + hoppingAdvance);
        }
        if (!(ewmaAlpha > 0 && ewmaAlpha <= 1)) {
            throw new IllegalArgumentException("the EWMA alpha must be in (0, 1], got " + ewmaAlpha);
        }
        if (runEmitInterval.isNegative()) {
            throw new IllegalArgumentException("the whole-run emit interval must not be negative, got " + runEmitInterval);
        }
        if (finishedRetention.isNegative()) {
            throw new IllegalArgumentException("the retention of finished runs must not be negative, got " + finishedRetention);
        }
        if (historySize < 1) {
            throw new IllegalArgumentException("the history size must be at least 1, got " + historySize);
        }
    }

    static StatsSettings defaults() {
        return new StatsSettings(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofSeconds(5),
                0.1, 200, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofHours(1));
    }

    long tumblingMicros() {
        return tumbling.toNanos() / 1000;
    }

    long hoppingMicros() {
        return hopping.toNanos() / 1000;
    }

    long advanceMicros() {
        return hoppingAdvance.toNanos() / 1000;
    }

    long runEmitMicros() {
        return runEmitInterval.toNanos() / 1000;
    }

    long graceMicros() {
        return grace.toNanos() / 1000;
    }
}
