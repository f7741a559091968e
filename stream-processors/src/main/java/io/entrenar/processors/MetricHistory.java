package io.entrenar.processors;

import java.nio.ByteBuffer;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The last {@code capacity} points of one metric of one run, oldest first (spec 7.1 loss_history(n)). */
final class MetricHistory {
    final long[] steps;
    final double[] values;
    int size;
    /** Index of the oldest point. */
    int head;

    MetricHistory(int capacity) {
        this.steps = new long[capacity];
        this.values = new double[capacity];
    }

    void add(long step, double value) {
        int capacity = steps.length;
        int slot = (head + size) % capacity;
        steps[slot] = step;
        values[slot] = value;
        if (size < capacity) {
            size++;
        } else {
            head = (head + 1) % capacity;
        }
    }

    /** The newest {@code n} values, oldest first. */
    double[] lastValues(int n) {
        int k = Math.min(n, size);
        double[] out = new double[k];
        for (int i = 0; i < k; i++) {
            out[i] = values[(head + size - k + i) % steps.length];
        }
        return out;
    }

    long[] lastSteps(int n) {
        int k = Math.min(n, size);
        long[] out = new long[k];
        for (int i = 0; i < k; i++) {
            out[i] = steps[(head + size - k + i) % steps.length];
        }
        return out;
    }

    /** Same points in a ring of another capacity (the configured size may change between runs of the app). */
    MetricHistory resized(int capacity) {
        if (capacity == steps.length) {
            return this;
        }
        MetricHistory h = new MetricHistory(capacity);
        long[] s = lastSteps(capacity);
        double[] v = lastValues(capacity);
        for (int i = 0; i < s.length; i++) {
            h.add(s[i], v[i]);
        }
        return h;
    }

    static final class HistorySerde implements Serde<MetricHistory> {
        @Override
        public Serializer<MetricHistory> serializer() {
            return (topic, h) -> {
                if (h == null) {
                    return null;
                }
                ByteBuffer b = ByteBuffer.allocate(8 + h.size * 16);
                b.putInt(h.steps.length).putInt(h.size);
                for (int i = 0; i < h.size; i++) {
                    int slot = (h.head + i) % h.steps.length;
                    b.putLong(h.steps[slot]).putDouble(h.values[slot]);
                }
                return b.array();
            };
        }

        @Override
        public Deserializer<MetricHistory> deserializer() {
            return (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                ByteBuffer b = ByteBuffer.wrap(bytes);
                int capacity = b.getInt();
                int size = b.getInt();
                if (capacity <= 0 || size < 0 || size > capacity || bytes.length != 8 + size * 16) {
                    throw new SerializationException("corrupt metric history of " + bytes.length + " bytes on " + topic);
                }
                MetricHistory h = new MetricHistory(capacity);
                for (int i = 0; i < size; i++) {
                    h.add(b.getLong(), b.getDouble());
                }
                return h;
            };
        }
    }
}
