package io.entrenar.processors;

import java.nio.ByteBuffer;

/**
 * Mergeable summary of a metric's points: Welford mean and M2, min, max, last, EWMA and the
 * least-squares co-moments of value over step. A batch is first folded into a fresh instance and
 * then merged into the stored one, so the state store is touched once per batch and metric,
 * not once per point.
 */
final class Moments {
    static final int BYTES = 8 * 17;

    long count;
    double mean;
    double m2;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double last = Double.NaN;
    long lastStep = -1;
    long lastTsMicros;
    /** EWMA seeded with the first finite value (e_0 = v_0). */
    double ewma = Double.NaN;
    /** First finite value folded in, needed to re-seed the EWMA when merging after older points. */
    double first = Double.NaN;
    /** Mean step and co-moments for the trend slope (Chan et al. pairwise update). */
    double meanStep;
    double m2Step;
    double coMoment;
    long nonFinite;
    long windowStartMicros;
    long windowEndMicros;
    /** Point time of the last emitted whole-run record; throttles RUN emission. Long.MIN_VALUE = never. */
    long lastEmittedTsMicros = Long.MIN_VALUE;

    /** Adds one point; non-finite values only count and update last. */
    void add(double value, long step, long tsMicros, double alpha) {
        last = value;
        lastStep = step;
        lastTsMicros = tsMicros;
        if (!Double.isFinite(value)) {
            nonFinite++;
            return;
        }
        count++;
        double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
        double dStep = step - meanStep;
        meanStep += dStep / count;
        m2Step += dStep * (step - meanStep);
        coMoment += dStep * (value - mean);
        if (value < min) {
            min = value;
        }
        if (value > max) {
            max = value;
        }
        if (count == 1) {
            first = value;
            ewma = value;
        } else {
            ewma = alpha * value + (1 - alpha) * ewma;
        }
    }

    /** Folds {@code later} (points that come after this one's) into this summary. */
    void merge(Moments later, double alpha) {
        if (later.lastStep >= 0 || later.count > 0 || later.nonFinite > 0) {
            last = later.last;
            lastStep = later.lastStep;
            lastTsMicros = later.lastTsMicros;
        }
        nonFinite += later.nonFinite;
        if (later.count == 0) {
            return;
        }
        if (count == 0) {
            count = later.count;
            mean = later.mean;
            m2 = later.m2;
            min = later.min;
            max = later.max;
            ewma = later.ewma;
            first = later.first;
            meanStep = later.meanStep;
            m2Step = later.m2Step;
            coMoment = later.coMoment;
            return;
        }
        long n = count + later.count;
        double delta = later.mean - mean;
        double dStep = later.meanStep - meanStep;
        double ratio = (double) count * later.count / n;
        m2 += later.m2 + delta * delta * ratio;
        m2Step += later.m2Step + dStep * dStep * ratio;
        coMoment += later.coMoment + dStep * delta * ratio;
        mean += delta * later.count / n;
        meanStep += dStep * later.count / n;
        min = Math.min(min, later.min);
        max = Math.max(max, later.max);
        // The later part was seeded with its own first value; shift it to continue from ours.
        ewma = later.ewma + Math.pow(1 - alpha, later.count) * (ewma - later.first);
        count = n;
    }

    /** Sample variance; 0 with fewer than two points. */
    double variance() {
        return count < 2 ? 0.0 : m2 / (count - 1);
    }

    /** Least-squares slope of value over step, or NaN when the steps do not vary. */
    double trendSlope() {
        return count < 2 || m2Step == 0.0 ? Double.NaN : coMoment / m2Step;
    }

    byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        b.putLong(count).putDouble(mean).putDouble(m2).putDouble(min).putDouble(max).putDouble(last)
                .putLong(lastStep).putLong(lastTsMicros).putDouble(ewma).putDouble(first).putDouble(meanStep)
                .putDouble(m2Step).putDouble(coMoment).putLong(nonFinite).putLong(windowStartMicros).putLong(windowEndMicros).putLong(lastEmittedTsMicros);
        return b.array();
    }

    static Moments fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        Moments m = new Moments();
        m.count = b.getLong();
        m.mean = b.getDouble();
        m.m2 = b.getDouble();
        m.min = b.getDouble();
        m.max = b.getDouble();
        m.last = b.getDouble();
        m.lastStep = b.getLong();
        m.lastTsMicros = b.getLong();
        m.ewma = b.getDouble();
        m.first = b.getDouble();
        m.meanStep = b.getDouble();
        m.m2Step = b.getDouble();
        m.coMoment = b.getDouble();
        m.nonFinite = b.getLong();
        m.windowStartMicros = b.getLong();
        m.windowEndMicros = b.getLong();
        m.lastEmittedTsMicros = b.getLong();
        return m;
    }
}
