package io.entrenar.processors;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.entrenar.events.EtaEstimate;
import io.entrenar.events.MetricBatch;
import io.entrenar.events.RunAnnotated;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStarted;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Kalman-filtered ETA per run (spec 17). Progress is the highest step seen, in event time (the
 * points' timestamps): an observed rate is taken once at least {@link EtaSettings#minObservation()}
 * has passed since the previous one, then filtered. Total steps come from the plan
 * ({@code resource_plan.total_steps}) or the params {@code total_steps} / {@code max_steps}.
 * At finish the first confident prediction of the total duration is compared with the actual one.
 */
final class EtaProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {
    static final String STORE = "eta-runs";
    private static final List<String> TOTAL_STEP_PARAMS = List.of("total_steps", "max_steps", "steps");

    private final EtaSettings settings;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, EtaState> store;

    EtaProcessor(EtaSettings settings) {
        this.settings = settings;
    }

    /** Per-run filter state, JSON in the {@code eta-runs} store. */
    static final class EtaState {
        long startMicros;
        Long totalSteps;
        long lastStep = -1;
        long lastObservationMicros;
        long lastObservationStep = -1;
        long lastTsMicros;
        long lamport;
        KalmanRateFilter filter = new KalmanRateFilter();
        Double firstConfidentTotalSecs;
        boolean finished;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        switch (record.value()) {
            case MetricBatch batch -> onBatch(batch);
            case RunEvent run -> onRunEvent(run);
            case null, default -> {
            }
        }
    }

    private EtaState state(String runId) {
        EtaState s = store.get(runId);
        return s == null ? new EtaState() : s;
    }

    private void onRunEvent(RunEvent run) {
        EtaState s = state(run.getRunId());
        if (s.finished) {
            return;
        }
        s.lamport = Math.max(s.lamport, run.getLamport());
        switch (run.getPayload()) {
            case RunStarted started -> {
                s.startMicros = micros(run.getTsMicros());
                if (started.getResourcePlan() != null && started.getResourcePlan().getTotalSteps() != null) {
                    s.totalSteps = started.getResourcePlan().getTotalSteps();
                } else {
                    s.totalSteps = totalFromParams(started.getParams(), s.totalSteps);
                }
            }
            case RunAnnotated annotated -> s.totalSteps = totalFromParams(annotated.getParams(), s.totalSteps);
            case RunFinished finished -> {
                s.finished = true;
                s.lastStep = Math.max(s.lastStep, finished.getTotalSteps());
                double actual = finished.getDurationMicros() / 1e6;
                Double predicted = s.firstConfidentTotalSecs;
                Double errorPct = predicted == null || predicted <= 0 ? null : Math.abs(actual - predicted) / predicted * 100.0;
                emit(run.getRunId(), s, micros(run.getTsMicros()), 0.0, 0.0, true, actual, errorPct);
            }
            default -> {
            }
        }
        store.put(run.getRunId(), s);
    }

    private static Long totalFromParams(Map<String, String> params, Long current) {
        for (String key : TOTAL_STEP_PARAMS) {
            String v = params.get(key);
            if (v != null) {
                try {
                    return Long.parseLong(v.strip());
                } catch (NumberFormatException ignored) {
                    // A non-numeric param is not a step count; keep looking.
                }
            }
        }
        return current;
    }

    private void onBatch(MetricBatch batch) {
        List<Long> steps = batch.getSteps();
        List<Long> timestamps = batch.getTimestampsMicros();
        int n = Math.min(steps.size(), timestamps.size());
        if (n == 0) {
            return;
        }
        long maxStep = Long.MIN_VALUE;
        long tsAtMax = 0;
        long minTs = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            long step = steps.get(i);
            long ts = timestamps.get(i);
            minTs = Math.min(minTs, ts);
            if (step > maxStep || (step == maxStep && ts > tsAtMax)) {
                maxStep = step;
                tsAtMax = ts;
            }
        }
        EtaState s = state(batch.getRunId());
        if (s.finished || maxStep <= s.lastObservationStep) {
            return;
        }
        s.lamport = Math.max(s.lamport, batch.getLamport());
        if (s.startMicros == 0) {
            s.startMicros = minTs;
        }
        s.lastStep = maxStep;
        s.lastTsMicros = tsAtMax;
        if (s.lastObservationStep < 0) {
            s.lastObservationStep = maxStep;
            s.lastObservationMicros = tsAtMax;
            store.put(batch.getRunId(), s);
        } else {
            long dtMicros = tsAtMax - s.lastObservationMicros;
            if (dtMicros >= settings.minObservation().toNanos() / 1000) {
                double dt = dtMicros / 1e6;
                s.filter.observe((maxStep - s.lastObservationStep) / dt, dt, settings);
                s.lastObservationStep = maxStep;
                s.lastObservationMicros = tsAtMax;
                Double remaining = remaining(s);
                Double uncertainty = remaining == null ? null : remaining * Math.sqrt(s.filter.variance) / s.filter.rate;
                if (s.firstConfidentTotalSecs == null && remaining != null && (remaining == 0 || uncertainty / remaining <= settings.confidence())) {
                    s.firstConfidentTotalSecs = (tsAtMax - s.startMicros) / 1e6 + remaining;
                }
                emit(batch.getRunId(), s, tsAtMax, remaining, uncertainty, false, null, null);
                // Only observations are stored: between them the stored step lags, which only delays the next one.
                store.put(batch.getRunId(), s);
            }
        }
    }

    private static Double remaining(EtaState s) {
        if (s.totalSteps == null || !(s.filter.rate > 0)) {
            return null;
        }
        return Math.max(0, s.totalSteps - s.lastStep) / s.filter.rate;
    }

    private void emit(String runId, EtaState s, long tsMicros, Double remaining, Double uncertainty, boolean finished,
                      Double actual, Double errorPct) {
        EtaEstimate eta = EtaEstimate.newBuilder()
                .setEventId(StoreKeys.fastId(runId, "eta", finished ? 1 : 0, s.lastStep, 0, 0))
                .setRunId(runId)
                .setTsMicros(Instant.EPOCH.plusNanos(tsMicros * 1000))
                .setLamport(s.lamport)
                .setStep(Math.max(0, s.lastStep))
                .setTotalSteps(s.totalSteps)
                .setRateStepsPerSec(s.filter.rate)
                .setPredictedRemainingSecs(remaining)
                .setUncertaintySecs(uncertainty)
                .setKalmanGain(s.filter.gain)
                .setEstimateError(s.filter.variance)
                .setFinished(finished)
                .setPredictedTotalSecs(s.firstConfidentTotalSecs)
                .setActualTotalSecs(actual)
                .setErrorPct(errorPct)
                .build();
        context.forward(new Record<>(runId, eta, tsMicros / 1000));
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }
}
