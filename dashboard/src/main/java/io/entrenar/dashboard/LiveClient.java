package io.entrenar.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.entrenar.events.MetricBatch;

/**
 * One open page's server-sent event stream. The feed thread only appends to buffers; the page's
 * own (virtual) thread writes, at most every {@code flushMillis}, so a slow browser never holds up
 * the consumer, and a metric that arrived faster than {@code maxPoints} per flush is thinned evenly
 * (the newest point always kept), so the page stays bounded however fast the run logs.
 */
final class LiveClient {
    private static final long HEARTBEAT_MILLIS = 15_000;

    private final long flushMillis;
    private final int maxPoints;
    private final Map<String, PointBuffer> pending = new LinkedHashMap<>();
    private final List<String> pendingAlerts = new ArrayList<>();
    private boolean closed;

    LiveClient(long flushMillis, int maxPoints) {
        this.flushMillis = flushMillis;
        this.maxPoints = maxPoints;
    }

    synchronized void points(MetricBatch batch) {
        List<? extends CharSequence> names = batch.getNames();
        List<Integer> ids = batch.getNameIds();
        List<Long> steps = batch.getSteps();
        List<Double> values = batch.getValues();
        List<Long> ts = batch.getTimestampsMicros();
        for (int i = 0; i < steps.size(); i++) {
            String name = names.get(ids.get(i)).toString();
            pending.computeIfAbsent(name, k -> new PointBuffer(maxPoints)).add(steps.get(i), values.get(i), ts.get(i) / 1000);
        }
        notifyAll();
    }

    synchronized void alert(String runId, String json) {
        if (pendingAlerts.size() < 1000) {
            pendingAlerts.add(json);
        }
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Writes events until the page goes away (the write fails) or {@link #close()}. */
    void stream(OutputStream out) throws IOException, InterruptedException {
        out.write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        long lastWrite = System.currentTimeMillis();
        while (true) {
            String message;
            synchronized (this) {
                long wait = HEARTBEAT_MILLIS - (System.currentTimeMillis() - lastWrite);
                if (!closed && pending.isEmpty() && pendingAlerts.isEmpty() && wait > 0) {
                    wait(wait);
                }
                if (closed) {
                    return;
                }
                message = drain();
            }
            if (message == null) {
                message = ": keep-alive\n\n";
            }
            out.write(message.getBytes(StandardCharsets.UTF_8));
            out.flush();
            lastWrite = System.currentTimeMillis();
            Thread.sleep(flushMillis); // coalesce what arrives meanwhile into the next message
        }
    }

    private String drain() {
        if (pending.isEmpty() && pendingAlerts.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (String alert : pendingAlerts) {
            b.append("event: alert\ndata: ").append(alert).append("\n\n");
        }
        pendingAlerts.clear();
        if (!pending.isEmpty()) {
            b.append("event: points\ndata: {\"sent_ms\":").append(System.currentTimeMillis()).append(",\"metrics\":{");
            boolean first = true;
            for (Map.Entry<String, PointBuffer> e : pending.entrySet()) {
                b.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':');
                e.getValue().writeThinned(b, maxPoints);
                first = false;
            }
            b.append("}}\n\n");
            pending.clear();
        }
        return b.toString();
    }

    /** Points of one metric since the last message; halves itself when it grows past 4x the message size. */
    static final class PointBuffer {
        private long[] steps;
        private double[] values;
        private long[] millis;
        private int size;

        PointBuffer(int maxPoints) {
            int capacity = Math.max(16, maxPoints * 4);
            steps = new long[capacity];
            values = new double[capacity];
            millis = new long[capacity];
        }

        void add(long step, double value, long ms) {
            if (size == steps.length) {
                halve();
            }
            steps[size] = step;
            values[size] = value;
            millis[size] = ms;
            size++;
        }

        int size() {
            return size;
        }

        private void halve() {
            int kept = 0;
            for (int i = 1; i < size; i += 2) {
                steps[kept] = steps[i];
                values[kept] = values[i];
                millis[kept] = millis[i];
                kept++;
            }
            size = kept;
        }

        /** {"steps":[..],"values":[..],"ms":[..]} with at most {@code max} points, evenly spaced, the last included. */
        void writeThinned(StringBuilder b, int max) {
            int[] pick = pick(size, max);
            b.append("{\"steps\":[");
            for (int j = 0; j < pick.length; j++) {
                b.append(j == 0 ? "" : ",").append(steps[pick[j]]);
            }
            b.append("],\"values\":[");
            for (int j = 0; j < pick.length; j++) {
                if (j > 0) {
                    b.append(',');
                }
                Json.number(b, values[pick[j]]);
            }
            b.append("],\"ms\":[");
            for (int j = 0; j < pick.length; j++) {
                b.append(j == 0 ? "" : ",").append(millis[pick[j]]);
            }
            b.append("]}");
        }

        static int[] pick(int size, int max) {
            int n = Math.min(size, max);
            int[] idx = new int[n];
            if (n == 0) {
                return idx;
            }
            if (n == size) {
                for (int i = 0; i < n; i++) {
                    idx[i] = i;
                }
                return idx;
            }
            // Even spacing that ends exactly at the newest point.
            for (int j = 0; j < n; j++) {
                idx[j] = (int) Math.round((double) (size - 1) * (j + 1) / n);
            }
            return idx;
        }
    }
}
