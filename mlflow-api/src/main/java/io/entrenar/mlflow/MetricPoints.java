package io.entrenar.mlflow;

import java.util.Arrays;

/**
 * Metric points of one call, columnar (the shape of our MetricBatch): log-batch's {@code metrics}
 * read straight from the request's JSON into arrays, without a node per point.
 */
final class MetricPoints {
    private String[] keys = new String[16];
    private double[] values = new double[16];
    private long[] timestamps = new long[16];
    private long[] steps = new long[16];
    private int size;

    static MetricPoints of(String key, double value, long timestamp, long step) {
        MetricPoints p = new MetricPoints();
        p.add(key, value, timestamp, step);
        return p;
    }

    void add(String key, double value, long timestamp, long step) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
            timestamps = Arrays.copyOf(timestamps, size * 2);
            steps = Arrays.copyOf(steps, size * 2);
        }
        keys[size] = key;
        values[size] = value;
        timestamps[size] = timestamp;
        steps[size] = step;
        size++;
    }

    int size() {
        return size;
    }

    String key(int i) {
        return keys[i];
    }

    double value(int i) {
        return values[i];
    }

    long timestamp(int i) {
        return timestamps[i];
    }

    long step(int i) {
        return steps[i];
    }
}
