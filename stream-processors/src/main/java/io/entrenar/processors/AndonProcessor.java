package io.entrenar.processors;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.entrenar.events.Alert;
import io.entrenar.events.AlertAction;
import io.entrenar.events.AlertState;
import io.entrenar.events.ControlAction;
import io.entrenar.events.ControlCommand;
import io.entrenar.events.Failure;
import io.entrenar.events.MetricBatch;
import io.entrenar.events.ResourcePlan;
import io.entrenar.events.ResourceSample;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunStatus;
import io.entrenar.events.RunStatusChanged;
import io.entrenar.events.Severity;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Andon: evaluates the rules on every run's events and emits incident transitions. Open incidents
 * live in the run's {@link RunWatch}, written in the same transaction as the alerts (exactly once),
 * so an incident fires once and resolves once even across restarts. Stalls and planned-duration
 * overruns need no input to be noticed: a wall-clock punctuation checks every live run.
 */
final class AndonProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {
    /** The tag the agent puts on its record of a JVM (RunBuilder: entrenar.agent = premain|attached). */
    static final String AGENT_TAG = "entrenar.agent";
    static final String STORE = "andon-runs";
    /** Finished runs are kept this long so that late events neither re-fire nor resurrect them. */
    private static final long FINISHED_RETENTION_MS = Duration.ofHours(1).toMillis();

    private final AndonRules rules;
    private final Duration checkInterval;
    private final long finishGraceMs;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, RunWatch> store;

    /**
     * @param finishGrace how long (wall clock) after a run's RunFinished its metric batches are still
     *                    evaluated: Kafka orders nothing across topics, so the finish may overtake the last points
     */
    AndonProcessor(AndonRules rules, Duration checkInterval, Duration finishGrace) {
        this.rules = rules;
        this.checkInterval = checkInterval;
        this.finishGraceMs = finishGrace.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::checkLiveRuns);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord value = record.value();
        String runId = runIdOf(value);
        if (runId == null) {
            return;
        }
        RunWatch watch = store.get(runId);
        if (watch == null) {
            watch = new RunWatch(runId);
        }
        long wall = context.currentSystemTimeMs();
        if (watch.finished) {
            if (value instanceof MetricBatch late && wall - watch.finishedWallMs <= finishGraceMs) {
                onLateBatch(watch, late, wall);
                store.put(runId, watch);
            }
            return;
        }
        if (!watch.started && watch.lastProgressWallMs == 0) {
            watch.lastProgressWallMs = wall;
            watch.startedWallMs = wall;
        }
        switch (value) {
            case MetricBatch batch -> onBatch(watch, batch, wall);
            case RunEvent run -> onRunEvent(watch, run, wall);
            case ResourceSample sample -> onResources(watch, sample);
            case Failure failure -> onFailure(watch, failure);
            default -> {
                return;
            }
        }
        store.put(runId, watch);
    }

    private static String runIdOf(SpecificRecord value) {
        return switch (value) {
            case MetricBatch b -> b.getRunId();
            case RunEvent r -> r.getRunId();
            case ResourceSample s -> s.getRunId();
            case Failure f -> f.getRunId();
            case null, default -> null;
        };
    }

    private void onRunEvent(RunWatch watch, RunEvent run, long wall) {
        watch.lastLamport = Math.max(watch.lastLamport, run.getLamport());
        switch (run.getPayload()) {
            case RunStarted started -> {
                watch.started = true;
                watch.startedWallMs = wall;
                watch.lastProgressWallMs = wall;
                watch.experimentId = started.getExperimentId();
                watch.tags = new HashMap<>(started.getTags());
                watch.plan = planOf(started.getResourcePlan());
            }
            case RunStatusChanged changed -> {
                watch.paused = changed.getStatus() == RunStatus.PAUSED || changed.getStatus() == RunStatus.AWAITING_APPROVAL;
                if (!watch.paused) {
                    watch.lastProgressWallMs = wall;
                    resolve(watch, StoreKeys.of("stall", ""), "the run is " + changed.getStatus(), null);
                }
            }
            case RunFinished finished -> onFinished(watch, finished, wall);
            default -> {
            }
        }
    }

    private static RunWatch.Plan planOf(ResourcePlan p) {
        if (p == null) {
            return null;
        }
        RunWatch.Plan plan = new RunWatch.Plan();
        plan.heapMb = p.getEstimatedHeapMb();
        plan.vramMb = p.getEstimatedVramMb();
        plan.durationSecs = p.getEstimatedDurationSecs();
        plan.costUsd = p.getEstimatedCostUsd();
        plan.energyKwh = p.getEstimatedEnergyKwh();
        plan.tolerancePct = p.getTolerancePct();
        return plan;
    }

    private void onFinished(RunWatch watch, RunFinished finished, long wall) {
        Map<String, Double> summary = new HashMap<>();
        finished.getSummary().forEach((k, v) -> summary.put(k.toString(), v));
        if (finished.getCost() != null) {
            summary.putIfAbsent("cost_usd", finished.getCost().getTotalCostUsd());
        }
        if (finished.getEnergy() != null) {
            summary.putIfAbsent("energy_kwh", finished.getEnergy().getKwhTotal());
        }
        summary.putIfAbsent("duration_secs", finished.getDurationMicros() / 1e6);
        for (AndonRule rule : rules.rules()) {
            if (rule instanceof AndonRule.PlanOverrun overrun && watch.plan != null) {
                RunWatch.Plan plan = watch.plan;
                checkPlan(watch, overrun, "duration_secs", plan.durationSecs, summary.get("duration_secs"), null);
                checkPlan(watch, overrun, "cost_usd", plan.costUsd, summary.get("cost_usd"), null);
                checkPlan(watch, overrun, "energy_kwh", plan.energyKwh, summary.get("energy_kwh"), null);
                checkPlan(watch, overrun, "heap_mb", plan.heapMb, summary.get("actual_peak_heap_mb"), null);
                checkPlan(watch, overrun, "vram_mb", plan.vramMb, summary.get("actual_peak_vram_mb"), null);
            }
        }
        String reason = "the run finished with status " + finished.getStatus();
        for (String key : new ArrayList<>(watch.open.keySet())) {
            resolve(watch, key, reason, null);
        }
        watch.finished = true;
        watch.finishedWallMs = wall;
    }

    /**
     * Points that arrive after the finish within the grace period: the rules see them as if they had
     * come first, and whatever they fire resolves at once, as every incident does when its run ends.
     */
    private void onLateBatch(RunWatch watch, MetricBatch batch, long wall) {
        onBatch(watch, batch, wall);
        for (String key : new ArrayList<>(watch.open.keySet())) {
            resolve(watch, key, "the run had already finished (points processed after its finish, within the grace period)", null);
        }
    }

    private void onBatch(RunWatch watch, MetricBatch batch, long wall) {
        watch.lastLamport = Math.max(watch.lastLamport, batch.getLamport());
        List<String> names = batch.getNames();
        List<Integer> ids = batch.getNameIds();
        List<Long> steps = batch.getSteps();
        List<Double> values = batch.getValues();
        BatchSummary[] perMetric = new BatchSummary[names.size()];
        long maxStep = -1;
        int n = Math.min(ids.size(), Math.min(steps.size(), values.size()));
        for (int i = 0; i < n; i++) {
            int id = ids.get(i);
            if (id < 0 || id >= perMetric.length) {
                continue;
            }
            BatchSummary s = perMetric[id] == null ? perMetric[id] = new BatchSummary() : perMetric[id];
            s.add(values.get(i), steps.get(i));
            maxStep = Math.max(maxStep, steps.get(i));
        }
        if (maxStep > watch.lastStep) {
            watch.lastStep = maxStep;
            watch.lastProgressWallMs = wall;
            resolve(watch, StoreKeys.of("stall", ""), "progress resumed at step " + maxStep, maxStep);
        }
        for (int id = 0; id < perMetric.length; id++) {
            if (perMetric[id] != null) {
                evaluateMetric(watch, names.get(id), perMetric[id], batch, values, steps, ids, id);
            }
        }
    }

    private void evaluateMetric(RunWatch watch, String metric, BatchSummary s, MetricBatch batch,
                                List<Double> values, List<Long> steps, List<Integer> ids, int id) {
        for (AndonRule rule : rules.rules()) {
            switch (rule) {
                case AndonRule.NonFinite nf when nf.watches(metric) -> {
                    // One incident per run: a blow-up turns loss, gradient norm and more non-finite at once,
                    // and that is one problem to page about, named after the first metric that showed it.
                    String key = StoreKeys.of(nf.name(), "");
                    RunWatch.OpenIncident open = watch.open.get(key);
                    if (s.nonFinite > 0) {
                        Map<String, String> evidence = new TreeMap<>();
                        evidence.put("value", Double.toString(s.firstNonFiniteValue));
                        evidence.put("step", Long.toString(s.firstNonFiniteStep));
                        evidence.put("non_finite_points_in_batch", Long.toString(s.nonFinite));
                        evidence.put("batch_event_id", batch.getEventId());
                        fire(watch, nf, key, metric, s.firstNonFiniteStep,
                                metric + " became " + s.firstNonFiniteValue + " at step " + s.firstNonFiniteStep, evidence);
                    } else if (s.finite > 0 && open != null && metric.equals(open.metric)) {
                        resolve(watch, key, metric + " is finite again (" + s.lastFinite + " at step " + s.lastFiniteStep + ")", s.lastFiniteStep);
                    }
                }
                case AndonRule.Divergence d when d.metric().equals(metric) && s.finite > 0 -> {
                    RunWatch.MetricWatch mw = watch.metric(metric);
                    String key = StoreKeys.of(d.name(), metric);
                    if (mw.count >= d.warmupPoints()) {
                        double z = mw.std() > 0 ? (s.max - mw.mean) / mw.std() : 0.0;
                        double ratio = mw.min > 0 ? s.max / mw.min : Double.NaN;
                        // Every test that applies must hold: a mini-batch loss is often 10x its luckiest batch, and
                        // a tight run makes small noise a large z-score; divergence is far above both the spread and
                        // the best. The ratio does not apply to a minimum at or below zero.
                        boolean zApplies = d.zScore() != null;
                        boolean ratioApplies = d.ratioToMin() != null && mw.min > 0;
                        if ((zApplies || ratioApplies) && (!zApplies || z > d.zScore()) && (!ratioApplies || ratio > d.ratioToMin())) {
                            Map<String, String> evidence = new TreeMap<>();
                            evidence.put("value", Double.toString(s.max));
                            evidence.put("running_mean", Double.toString(mw.mean));
                            evidence.put("running_std", Double.toString(mw.std()));
                            evidence.put("running_min", Double.toString(mw.min));
                            evidence.put("z_score", Double.toString(z));
                            evidence.put("ratio_to_min", Double.toString(ratio));
                            fire(watch, d, key, metric, s.maxStep, String.format(Locale.ROOT,
                                    "%s diverged to %.6g at step %d (z-score %.2f, %.2f× the running minimum %.6g)",
                                    metric, s.max, s.maxStep, z, ratio, mw.min), evidence);
                        } else {
                            resolve(watch, key, metric + " is back to " + s.lastFinite + " at step " + s.lastFiniteStep, s.lastFiniteStep);
                        }
                    }
                    for (int i = 0; i < ids.size(); i++) {
                        if (ids.get(i) == id && Double.isFinite(values.get(i))) {
                            mw.add(values.get(i));
                        }
                    }
                }
                case AndonRule.Plateau p when p.metric().equals(metric) && s.finite > 0 -> {
                    RunWatch.MetricWatch mw = watch.metric(metric);
                    String key = StoreKeys.of(p.name(), metric);
                    boolean improved = false;
                    for (int i = 0; i < ids.size(); i++) {
                        double v = values.get(i);
                        if (ids.get(i) != id || !Double.isFinite(v)) {
                            continue;
                        }
                        if (Double.isNaN(mw.best) || better(v, mw.best, p)) {
                            improved = improved || !Double.isNaN(mw.best);
                            mw.best = v;
                            mw.bestStep = steps.get(i);
                        }
                    }
                    if (improved) {
                        resolve(watch, key, metric + " improved to " + mw.best + " at step " + mw.bestStep, mw.bestStep);
                    } else if (s.lastFiniteStep - mw.bestStep >= p.patienceSteps()) {
                        Map<String, String> evidence = new TreeMap<>();
                        evidence.put("best", Double.toString(mw.best));
                        evidence.put("best_step", Long.toString(mw.bestStep));
                        evidence.put("step", Long.toString(s.lastFiniteStep));
                        evidence.put("min_delta", Double.toString(p.minDelta()));
                        fire(watch, p, key, metric, s.lastFiniteStep, metric + " has not improved on " + mw.best + " (step " + mw.bestStep
                                + ") for " + (s.lastFiniteStep - mw.bestStep) + " steps", evidence);
                    }
                }
                case AndonRule.Drift d when d.metric().equals(metric) && s.finite > 0 -> {
                    String key = StoreKeys.of(d.name(), metric);
                    double mean = s.sum / s.finite;
                    double deviation = Math.abs(mean - d.baseline());
                    if (deviation > d.maxDeviation()) {
                        Map<String, String> evidence = new TreeMap<>();
                        evidence.put("batch_mean", Double.toString(mean));
                        evidence.put("baseline", Double.toString(d.baseline()));
                        evidence.put("deviation", Double.toString(deviation));
                        evidence.put("max_deviation", Double.toString(d.maxDeviation()));
                        fire(watch, d, key, metric, s.lastFiniteStep, String.format(Locale.ROOT,
                                "%s drifted to %.6g, %.6g from its baseline %.6g (allowed %.6g)",
                                metric, mean, deviation, d.baseline(), d.maxDeviation()), evidence);
                    } else {
                        resolve(watch, key, metric + " is within " + d.maxDeviation() + " of its baseline again (" + mean + ")", s.lastFiniteStep);
                    }
                }
                default -> {
                }
            }
        }
    }

    private static boolean better(double v, double best, AndonRule.Plateau p) {
        double margin = Math.abs(best) * p.minDelta();
        return p.higherIsBetter() ? v > best + margin : v < best - margin;
    }

    private void onResources(RunWatch watch, ResourceSample sample) {
        watch.lastLamport = Math.max(watch.lastLamport, sample.getLamport());
        if (watch.plan == null) {
            return;
        }
        for (AndonRule rule : rules.rules()) {
            if (rule instanceof AndonRule.PlanOverrun overrun) {
                checkPlan(watch, overrun, "heap_mb", watch.plan.heapMb, sample.getHeapUsedBytes() / (1024.0 * 1024.0), sample.getStep());
                checkPlan(watch, overrun, "vram_mb", watch.plan.vramMb, sample.getVramUsedMb(), sample.getStep());
            }
        }
    }

    private void checkPlan(RunWatch watch, AndonRule.PlanOverrun rule, String quantity, Double planned, Double actual, Long step) {
        if (planned == null || actual == null || !(planned > 0)) {
            return;
        }
        double tolerance = rule.tolerancePct() != null ? rule.tolerancePct() : watch.plan.tolerancePct;
        double limit = planned * (1 + tolerance / 100.0);
        if (actual > limit) {
            double deviationPct = (actual - planned) / planned * 100.0;
            Map<String, String> evidence = new TreeMap<>();
            evidence.put("quantity", quantity);
            evidence.put("planned", Double.toString(planned));
            evidence.put("actual", Double.toString(actual));
            evidence.put("tolerance_pct", Double.toString(tolerance));
            evidence.put("deviation_pct", String.format(Locale.ROOT, "%.2f", deviationPct));
            fire(watch, rule, StoreKeys.of(rule.name(), quantity), quantity, step, String.format(Locale.ROOT,
                    "%s is %.6g, %.1f%% over the plan of %.6g (tolerance %.1f%%)", quantity, actual, deviationPct, planned, tolerance), evidence);
        }
    }

    private void onFailure(RunWatch watch, Failure failure) {
        watch.lastLamport = Math.max(watch.lastLamport, failure.getLamport());
        for (AndonRule rule : rules.rules()) {
            if (rule instanceof AndonRule.FailureEvent f && f.watches(failure.getCategory().name())) {
                Map<String, String> evidence = new TreeMap<>();
                evidence.put("error_code", failure.getErrorCode());
                evidence.put("category", failure.getCategory().name());
                evidence.put("failure_event_id", failure.getEventId());
                if (failure.getExceptionClass() != null) {
                    evidence.put("exception_class", failure.getExceptionClass());
                }
                failure.getContext().forEach((k, v) -> evidence.put("context." + k, v));
                String suggestion = failure.getRemediation() != null ? failure.getRemediation() : f.suggestedAction();
                fire(watch, f, StoreKeys.of(f.name(), failure.getErrorCode()), null, failure.getStep(),
                        failure.getErrorCode() + " (" + failure.getCategory() + "): " + failure.getDiagnostic(), evidence, suggestion);
            }
        }
    }

    private void checkLiveRuns(long now) {
        List<KeyValue<String, RunWatch>> changed = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, RunWatch> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, RunWatch> kv = it.next();
                RunWatch watch = kv.value;
                if (watch.finished) {
                    if (now - watch.finishedWallMs > FINISHED_RETENTION_MS) {
                        expired.add(kv.key);
                    } else if (!watch.metrics.isEmpty() && now - watch.finishedWallMs > finishGraceMs) {
                        // Past the grace no point is evaluated any more: drop the running statistics.
                        watch.metrics.clear();
                        changed.add(kv);
                    }
                    continue;
                }
                int before = watch.fired.values().stream().mapToInt(Integer::intValue).sum();
                for (AndonRule rule : rules.rules()) {
                    // Only runs that started or made progress can stall; a lone failure or resource sample cannot,
                    // nor the agent's record of a JVM, which takes no steps (its training runs' progress is what stalls).
                    if (rule instanceof AndonRule.Stall stall && !watch.paused && (watch.started || watch.lastStep >= 0)
                            && !watch.tags.containsKey(AGENT_TAG)) {
                        long idleMs = now - watch.lastProgressWallMs;
                        if (idleMs > stall.maxSeconds() * 1000) {
                            Map<String, String> evidence = new TreeMap<>();
                            evidence.put("last_step", Long.toString(watch.lastStep));
                            evidence.put("idle_seconds", Long.toString(idleMs / 1000));
                            evidence.put("max_seconds", Double.toString(stall.maxSeconds()));
                            fire(watch, stall, StoreKeys.of("stall", ""), null, watch.lastStep >= 0 ? watch.lastStep : null,
                                    "no progress for " + idleMs / 1000 + " s (last step " + watch.lastStep + "); the process may be hung or dead",
                                    evidence);
                        }
                    } else if (rule instanceof AndonRule.PlanOverrun overrun && watch.plan != null && watch.started) {
                        checkPlan(watch, overrun, "duration_secs", watch.plan.durationSecs, (now - watch.startedWallMs) / 1000.0, null);
                    }
                }
                if (watch.fired.values().stream().mapToInt(Integer::intValue).sum() != before) {
                    changed.add(kv);
                }
            }
        }
        changed.forEach(kv -> store.put(kv.key, kv.value));
        expired.forEach(store::delete);
    }

    private void fire(RunWatch watch, AndonRule rule, String key, String metric, Long step, String message, Map<String, String> evidence) {
        fire(watch, rule, key, metric, step, message, evidence, rule.suggestedAction());
    }

    private void fire(RunWatch watch, AndonRule rule, String key, String metric, Long step, String message,
                      Map<String, String> evidence, String suggestion) {
        if (watch.open.containsKey(key)) {
            return;
        }
        int seq = watch.fired.merge(key, 1, Integer::sum);
        long nowMicros = context.currentSystemTimeMs() * 1000;
        RunWatch.OpenIncident incident = new RunWatch.OpenIncident();
        incident.incidentId = StoreKeys.uuid("incident", watch.runId, key, Integer.toString(seq));
        incident.rule = rule.name();
        incident.metric = metric;
        incident.step = step;
        incident.severity = rule.severity().name();
        incident.action = rule.action().name();
        incident.message = message;
        incident.suggestedAction = suggestion;
        incident.firedAtMicros = nowMicros;
        incident.evidence = new TreeMap<>(evidence);
        watch.open.put(key, incident);
        watch.lastLamport++;
        emit(watch, incident, AlertState.FIRING, null, step, message);
        ControlAction control = switch (rule.action()) {
            case EMERGENCY_STOP -> ControlAction.STOP;
            case PAUSE, REQUIRE_APPROVAL -> ControlAction.PAUSE;
            default -> null;
        };
        if (control != null && !watch.finished) { // a late point of an ended run: nothing left to stop
            ControlCommand command = ControlCommand.newBuilder()
                    .setEventId(StoreKeys.uuid("control", incident.incidentId))
                    .setRunId(watch.runId)
                    .setTsMicros(micros(nowMicros))
                    .setLamport(watch.lastLamport)
                    .setCommandId(StoreKeys.uuid("command", incident.incidentId))
                    .setAction(control)
                    .setReason(message)
                    .setIssuedBy("andon:" + rule.name())
                    .setIncidentId(incident.incidentId)
                    .build();
            context.forward(new Record<>(watch.runId, command, nowMicros / 1000));
        }
    }

    private void resolve(RunWatch watch, String key, String reason, Long step) {
        RunWatch.OpenIncident incident = watch.open.remove(key);
        if (incident == null) {
            return;
        }
        watch.lastLamport++;
        incident.evidence.put("resolution", reason);
        emit(watch, incident, AlertState.RESOLVED, context.currentSystemTimeMs() * 1000, step == null ? incident.step : step,
                "resolved: " + reason + " (was: " + incident.message + ")");
    }

    private void emit(RunWatch watch, RunWatch.OpenIncident incident, AlertState state, Long resolvedAtMicros, Long step, String message) {
        long nowMicros = resolvedAtMicros != null ? resolvedAtMicros : incident.firedAtMicros;
        Alert alert = Alert.newBuilder()
                .setEventId(StoreKeys.uuid("alert", incident.incidentId, state.name()))
                .setRunId(watch.runId)
                .setTsMicros(micros(nowMicros))
                .setLamport(watch.lastLamport)
                .setIncidentId(incident.incidentId)
                .setState(state)
                .setRule(incident.rule)
                .setSeverity(Severity.valueOf(incident.severity))
                .setMetric(incident.metric)
                .setStep(step)
                .setMessage(message)
                .setSuggestedAction(incident.suggestedAction)
                .setAction(AlertAction.valueOf(incident.action))
                .setEvidence(new HashMap<>(incident.evidence))
                .setExperimentId(watch.experimentId)
                .setTags(new HashMap<>(watch.tags))
                .setFiredAtMicros(incident.firedAtMicros)
                .setResolvedAtMicros(resolvedAtMicros)
                .build();
        context.forward(new Record<>(watch.runId, alert, nowMicros / 1000));
    }

    private static Instant micros(long micros) {
        return Instant.EPOCH.plusNanos(micros * 1000);
    }

    /** One metric's points within one batch. */
    private static final class BatchSummary {
        long finite;
        long nonFinite;
        double sum;
        double max = Double.NEGATIVE_INFINITY;
        long maxStep = -1;
        double lastFinite = Double.NaN;
        long lastFiniteStep = -1;
        double firstNonFiniteValue;
        long firstNonFiniteStep = -1;

        void add(double v, long step) {
            if (!Double.isFinite(v)) {
                if (nonFinite++ == 0) {
                    firstNonFiniteValue = v;
                    firstNonFiniteStep = step;
                }
                return;
            }
            finite++;
            sum += v;
            if (v > max) {
                max = v;
                maxStep = step;
            }
            lastFinite = v;
            lastFiniteStep = step;
        }
    }
}
