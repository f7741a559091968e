package io.entrenar.processors;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.entrenar.events.MetricBatch;
import io.entrenar.events.MetricStats;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.WindowKind;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Rolling statistics per (run, metric). Each batch is folded per metric and per window into
 * fresh {@link Moments} first, then merged into the stores: one store read and write per metric
 * and window per batch, however many points the batch carries. Whole-run statistics are emitted
 * after every batch; tumbling and hopping windows once, when event time passes their end plus
 * the grace period or when the run finishes.
 */
final class MetricStatsProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {
    static final String RUN_STORE = "stats-run";
    static final String WINDOW_STORE = "stats-window";
    static final String HISTORY_STORE = "stats-history";
    /** Finished runs and when (wall clock): their summaries are dropped after the retention. */
    static final String FINISHED_STORE = "stats-finished";
    private static final String TUMBLING = "T";
    private static final String HOPPING = "H";

    private final StatsSettings settings;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, Moments> runStore;
    private KeyValueStore<String, Moments> windowStore;
    private KeyValueStore<String, MetricHistory> historyStore;
    private KeyValueStore<String, Long> finishedStore;
    /** Highest point timestamp seen by this task; windows close against it. Not persisted: after a restart windows close on the next data. */
    private long eventTimeMicros = Long.MIN_VALUE;

    MetricStatsProcessor(StatsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.runStore = context.getStateStore(RUN_STORE);
        this.windowStore = context.getStateStore(WINDOW_STORE);
        this.historyStore = context.getStateStore(HISTORY_STORE);
        this.finishedStore = context.getStateStore(FINISHED_STORE);
        context.schedule(settings.closeCheckInterval(), PunctuationType.WALL_CLOCK_TIME, now -> {
            closeWindows();
            forgetFinishedRuns(now);
        });
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.value() instanceof MetricBatch batch) {
            processBatch(batch);
        } else if (record.value() instanceof RunEvent run && run.getPayload() instanceof RunFinished) {
            closeRun(run.getRunId(), run.getLamport());
        }
    }

    private void processBatch(MetricBatch batch) {
        List<String> names = batch.getNames();
        List<Integer> nameIds = batch.getNameIds();
        List<Long> steps = batch.getSteps();
        List<Double> values = batch.getValues();
        List<Long> timestamps = batch.getTimestampsMicros();
        int n = nameIds.size();
        if (steps.size() != n || values.size() != n || timestamps.size() != n) {
            throw new IllegalArgumentException("MetricBatch " + batch.getEventId() + " has columns of different lengths: name_ids "
                    + n + ", steps " + steps.size() + ", values " + values.size() + ", timestamps_micros " + timestamps.size());
        }
        int k = names.size();
        BatchFold[] folds = new BatchFold[k];
        // Windows ending before this have been emitted: late points only count for the whole run.
        long closed = eventTimeMicros == Long.MIN_VALUE ? Long.MIN_VALUE : eventTimeMicros - settings.graceMicros();
        double alpha = settings.ewmaAlpha();
        for (int i = 0; i < n; i++) {
            int id = nameIds.get(i);
            if (id < 0 || id >= k) {
                throw new IllegalArgumentException("MetricBatch " + batch.getEventId() + " point " + i + " names metric #" + id
                        + " but the batch has " + k + " names");
            }
            BatchFold fold = folds[id];
            if (fold == null) {
                fold = folds[id] = new BatchFold(settings.historySize());
            }
            long ts = timestamps.get(i);
            double v = values.get(i);
            long step = steps.get(i);
            fold.run.add(v, step, ts, alpha);
            long tumblingStart = Math.floorDiv(ts, settings.tumblingMicros()) * settings.tumblingMicros();
            if (tumblingStart + settings.tumblingMicros() > closed) {
                fold.window(TUMBLING, tumblingStart, settings.tumblingMicros()).add(v, step, ts, alpha);
            }
            for (Moments hop : fold.hopping(Math.floorDiv(ts, settings.advanceMicros()) * settings.advanceMicros(), settings)) {
                if (hop.windowEndMicros > closed) {
                    hop.add(v, step, ts, alpha);
                }
            }
            fold.history.add(step, v);
            if (ts > eventTimeMicros) {
                eventTimeMicros = ts;
            }
        }
        String runId = batch.getRunId();
        for (int id = 0; id < k; id++) {
            BatchFold fold = folds[id];
            if (fold == null) {
                continue;
            }
            String metric = names.get(id);
            String runKey = StoreKeys.of(runId, metric);
            Moments total = runStore.get(runKey);
            if (total == null) {
                total = fold.run;
                total.windowStartMicros = fold.run.lastTsMicros;
            } else {
                total.merge(fold.run, alpha);
            }
            total.windowEndMicros = total.lastTsMicros;
            if (total.lastEmittedTsMicros == Long.MIN_VALUE || settings.runEmitMicros() == 0
                    || total.lastTsMicros - total.lastEmittedTsMicros >= settings.runEmitMicros()) {
                // Throttled in event time: consumers get a fresh summary per interval, and the final one at the finish.
                total.lastEmittedTsMicros = Math.max(total.lastEmittedTsMicros, total.lastTsMicros);
                forward(runId, metric, WindowKind.RUN, total, batch.getLamport());
            }
            runStore.put(runKey, total);
            for (Map.Entry<String, Moments> w : fold.windows.entrySet()) {
                if (w.getValue().count == 0 && w.getValue().nonFinite == 0) {
                    continue;
                }
                String windowKey = StoreKeys.of(runId, w.getKey().substring(0, 1), metric, w.getKey().substring(1));
                Moments stored = windowStore.get(windowKey);
                if (stored == null) {
                    stored = w.getValue();
                } else {
                    stored.merge(w.getValue(), alpha);
                }
                windowStore.put(windowKey, stored);
            }
            MetricHistory history = historyStore.get(runKey);
            history = history == null ? fold.history : appended(history.resized(settings.historySize()), fold.history);
            historyStore.put(runKey, history);
        }
    }

    private static MetricHistory appended(MetricHistory into, MetricHistory newer) {
        long[] s = newer.lastSteps(newer.size);
        double[] v = newer.lastValues(newer.size);
        for (int i = 0; i < s.length; i++) {
            into.add(s[i], v[i]);
        }
        return into;
    }

    private void closeWindows() {
        long closeBefore = eventTimeMicros - settings.graceMicros();
        List<KeyValue<String, Moments>> closed = new ArrayList<>();
        try (KeyValueIterator<String, Moments> it = windowStore.all()) {
            while (it.hasNext()) {
                KeyValue<String, Moments> kv = it.next();
                if (kv.value.windowEndMicros <= closeBefore) {
                    closed.add(kv);
                }
            }
        }
        closed.forEach(kv -> emitWindow(kv.key, kv.value, 0));
    }

    private void closeRun(String runId, long lamport) {
        List<KeyValue<String, Moments>> totals = new ArrayList<>();
        try (KeyValueIterator<String, Moments> it = runStore.prefixScan(StoreKeys.runPrefix(runId), new org.apache.kafka.common.serialization.StringSerializer())) {
            it.forEachRemaining(totals::add);
        }
        for (KeyValue<String, Moments> kv : totals) {
            if (kv.value.lastEmittedTsMicros != kv.value.lastTsMicros) {
                kv.value.lastEmittedTsMicros = kv.value.lastTsMicros;
                forward(runId, StoreKeys.split(kv.key)[1], WindowKind.RUN, kv.value, lamport);
                runStore.put(kv.key, kv.value);
            }
        }
        List<KeyValue<String, Moments>> open = new ArrayList<>();
        try (KeyValueIterator<String, Moments> it = windowStore.prefixScan(StoreKeys.runPrefix(runId), new org.apache.kafka.common.serialization.StringSerializer())) {
            it.forEachRemaining(open::add);
        }
        open.forEach(kv -> emitWindow(kv.key, kv.value, lamport));
        finishedStore.put(runId, context.currentSystemTimeMs());
    }

    /** Summaries of runs finished longer ago than the retention leave the stores (ClickHouse keeps them). */
    private void forgetFinishedRuns(long now) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = finishedStore.all()) {
            it.forEachRemaining(kv -> {
                if (now - kv.value >= settings.finishedRetention().toMillis()) {
                    expired.add(kv.key);
                }
            });
        }
        for (String runId : expired) {
            for (KeyValueStore<String, ?> store : List.of(runStore, historyStore)) {
                List<String> keys = new ArrayList<>();
                try (KeyValueIterator<String, ?> it = store.prefixScan(StoreKeys.runPrefix(runId), new org.apache.kafka.common.serialization.StringSerializer())) {
                    it.forEachRemaining(kv -> keys.add(kv.key));
                }
                keys.forEach(store::delete);
            }
            finishedStore.delete(runId);
        }
    }

    private void emitWindow(String key, Moments m, long lamport) {
        String[] parts = StoreKeys.split(key);
        WindowKind kind = TUMBLING.equals(parts[1]) ? WindowKind.TUMBLING : WindowKind.HOPPING;
        forward(parts[0], parts[2], kind, m, lamport);
        windowStore.delete(key);
    }

    private void forward(String runId, String metric, WindowKind kind, Moments m, long lamport) {
        double slope = m.trendSlope();
        MetricStats stats = MetricStats.newBuilder()
                .setEventId(StoreKeys.fastId(runId, metric, kind.ordinal(), m.windowStartMicros, m.count + 31 * m.nonFinite, m.lastStep))
                .setRunId(runId)
                .setTsMicros(Instant.EPOCH.plusNanos(m.lastTsMicros * 1000))
                .setLamport(lamport)
                .setMetric(metric)
                .setWindow(kind)
                .setWindowStartMicros(m.windowStartMicros)
                .setWindowEndMicros(m.windowEndMicros)
                .setCount(m.count)
                .setMean(m.count == 0 ? Double.NaN : m.mean)
                .setVariance(m.variance())
                .setMin(m.count == 0 ? Double.NaN : m.min)
                .setMax(m.count == 0 ? Double.NaN : m.max)
                .setLast(m.last)
                .setLastStep(m.lastStep)
                .setEwma(m.ewma)
                .setTrendSlope(Double.isNaN(slope) ? null : slope)
                .setNonFiniteCount(m.nonFinite)
                .build();
        context.forward(new Record<>(runId, stats, m.lastTsMicros / 1000));
    }

    /** One batch's points of one metric, folded per window before touching the stores. */
    private static final class BatchFold {
        final Moments run = new Moments();
        /** Key: window kind letter + start micros. A batch usually spans one tumbling and a few hopping windows. */
        final Map<String, Moments> windows = new HashMap<>(8);
        final MetricHistory history;
        private long lastTumblingStart = Long.MIN_VALUE;
        private Moments lastTumbling;

        BatchFold(int historySize) {
            history = new MetricHistory(historySize);
        }

        private long lastHoppingBase = Long.MIN_VALUE;
        private Moments[] lastHopping;

        /** The hopping windows holding a point whose latest window starts at {@code base} (size is a multiple of the advance). */
        Moments[] hopping(long base, StatsSettings settings) {
            if (base != lastHoppingBase) {
                long advance = settings.advanceMicros();
                Moments[] hops = new Moments[(int) (settings.hoppingMicros() / advance)];
                for (int j = 0; j < hops.length; j++) {
                    hops[j] = window(HOPPING, base - j * advance, settings.hoppingMicros());
                }
                lastHoppingBase = base;
                lastHopping = hops;
            }
            return lastHopping;
        }

        Moments window(String kind, long start, long size) {
            if (kind == TUMBLING && start == lastTumblingStart) {
                return lastTumbling;
            }
            Moments m = windows.computeIfAbsent(kind + start, k -> {
                Moments fresh = new Moments();
                fresh.windowStartMicros = start;
                fresh.windowEndMicros = start + size;
                return fresh;
            });
            if (kind == TUMBLING) {
                lastTumblingStart = start;
                lastTumbling = m;
            }
            return m;
        }
    }
}
