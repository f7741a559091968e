package io.entrenar.processors;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.entrenar.events.AlertAction;
import io.entrenar.events.Severity;

/**
 * One Andon rule from the YAML configuration (spec 7, 20; scenarios 7, 44, 59, 98). Each rule
 * names an incident kind; the processor fires it once and resolves it once per run (and metric).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = AndonRule.NonFinite.class, name = "non_finite"),
        @JsonSubTypes.Type(value = AndonRule.Divergence.class, name = "divergence"),
        @JsonSubTypes.Type(value = AndonRule.Stall.class, name = "stall"),
        @JsonSubTypes.Type(value = AndonRule.Plateau.class, name = "plateau"),
        @JsonSubTypes.Type(value = AndonRule.PlanOverrun.class, name = "plan_overrun"),
        @JsonSubTypes.Type(value = AndonRule.Drift.class, name = "drift"),
        @JsonSubTypes.Type(value = AndonRule.FailureEvent.class, name = "failure")})
sealed interface AndonRule {
    String name();

    Severity severity();

    AlertAction action();

    String suggestedAction();

    private static String require(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("every rule needs a name");
        }
        return name;
    }

    private static void positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be a positive number, got " + value);
        }
    }

    /** NaN or infinity in a metric: fires on the first such point, resolves when the metric is finite again or the run ends. */
    record NonFinite(String name, Severity severity, AlertAction action, String suggestedAction, List<String> metrics)
            implements AndonRule {
        public NonFinite {
            require(name);
            severity = severity == null ? Severity.CRITICAL : severity;
            action = action == null ? AlertAction.EMERGENCY_STOP : action;
            suggestedAction = suggestedAction == null
                    ? "Stop the run; lower the learning rate, enable gradient clipping or check the input data for NaN." : suggestedAction;
            metrics = metrics == null ? List.of() : List.copyOf(metrics);
        }

        boolean watches(String metric) {
            return metrics.isEmpty() || metrics.contains(metric);
        }
    }

    /** A metric far above its running minimum (ratio) or its running mean (z-score). */
    record Divergence(String name, Severity severity, AlertAction action, String suggestedAction, String metric,
                      Double zScore, Double ratioToMin, Integer warmupPoints) implements AndonRule {
        public Divergence {
            require(name);
            severity = severity == null ? Severity.WARNING : severity;
            action = action == null ? AlertAction.NOTIFY : action;
            suggestedAction = suggestedAction == null ? "Loss is diverging: reduce the learning rate or restore the last good checkpoint." : suggestedAction;
            metric = metric == null ? "loss" : metric;
            if (zScore == null && ratioToMin == null) {
                zScore = 6.0;
                ratioToMin = 10.0;
            }
            if (zScore != null) {
                positive("z_score", zScore);
            }
            if (ratioToMin != null && !(ratioToMin > 1)) {
                throw new IllegalArgumentException("ratio_to_min must be greater than 1, got " + ratioToMin);
            }
            warmupPoints = warmupPoints == null ? 20 : warmupPoints;
            if (warmupPoints < 2) {
                throw new IllegalArgumentException("warmup_points must be at least 2, got " + warmupPoints);
            }
        }
    }

    /** No step progress for {@code maxSeconds} of wall-clock time while the run has not finished (also a crashed JVM). */
    record Stall(String name, Severity severity, AlertAction action, String suggestedAction, Double maxSeconds) implements AndonRule {
        public Stall {
            require(name);
            severity = severity == null ? Severity.WARNING : severity;
            action = action == null ? AlertAction.NOTIFY : action;
            suggestedAction = suggestedAction == null ? "No progress: check whether the training process is alive, deadlocked or starved of data." : suggestedAction;
            maxSeconds = maxSeconds == null ? 300.0 : maxSeconds;
            positive("max_seconds", maxSeconds);
        }
    }

    /** The best value of a metric has not improved by {@code minDelta} (relative) for {@code patienceSteps} steps. */
    record Plateau(String name, Severity severity, AlertAction action, String suggestedAction, String metric,
                   Long patienceSteps, Double minDelta, Boolean higherIsBetter) implements AndonRule {
        public Plateau {
            require(name);
            severity = severity == null ? Severity.INFO : severity;
            action = action == null ? AlertAction.NOTIFY : action;
            suggestedAction = suggestedAction == null ? "Training has plateaued: consider early stopping or a learning-rate schedule." : suggestedAction;
            metric = metric == null ? "loss" : metric;
            patienceSteps = patienceSteps == null ? 2000L : patienceSteps;
            if (patienceSteps < 1) {
                throw new IllegalArgumentException("patience_steps must be at least 1, got " + patienceSteps);
            }
            minDelta = minDelta == null ? 1e-3 : minDelta;
            if (!(minDelta >= 0)) {
                throw new IllegalArgumentException("min_delta must be zero or positive, got " + minDelta);
            }
            higherIsBetter = higherIsBetter != null && higherIsBetter;
        }
    }

    /** Actual resources above the run's plan times (1 + tolerance) (spec 11); the tolerance comes from the plan unless set here. */
    record PlanOverrun(String name, Severity severity, AlertAction action, String suggestedAction, Double tolerancePct)
            implements AndonRule {
        public PlanOverrun {
            require(name);
            severity = severity == null ? Severity.WARNING : severity;
            action = action == null ? AlertAction.NOTIFY : action;
            suggestedAction = suggestedAction == null ? "Actual usage exceeds the resource plan: revise the plan or reduce batch size / model size." : suggestedAction;
            if (tolerancePct != null && !(tolerancePct >= 0)) {
                throw new IllegalArgumentException("tolerance_pct must be zero or positive, got " + tolerancePct);
            }
        }
    }

    /** The batch mean of a monitored metric deviates from a baseline by more than {@code maxDeviation} (absolute). */
    record Drift(String name, Severity severity, AlertAction action, String suggestedAction, String metric,
                 Double baseline, Double maxDeviation) implements AndonRule {
        public Drift {
            require(name);
            severity = severity == null ? Severity.CRITICAL : severity;
            action = action == null ? AlertAction.NOTIFY : action;
            suggestedAction = suggestedAction == null ? "The monitored metric drifted from its baseline: inspect the input distribution." : suggestedAction;
            if (metric == null || metric.isBlank()) {
                throw new IllegalArgumentException("a drift rule needs the metric to monitor");
            }
            if (baseline == null || !Double.isFinite(baseline)) {
                throw new IllegalArgumentException("a drift rule needs a finite baseline");
            }
            if (maxDeviation == null) {
                throw new IllegalArgumentException("a drift rule needs max_deviation");
            }
            positive("max_deviation", maxDeviation);
        }
    }

    /** A structured failure on entrenar.failures.v1; one incident per run and error code, resolved when the run ends. */
    record FailureEvent(String name, Severity severity, AlertAction action, String suggestedAction, List<String> categories)
            implements AndonRule {
        public FailureEvent {
            require(name);
            severity = severity == null ? Severity.CRITICAL : severity;
            action = action == null ? AlertAction.NOTIFY : action;
            categories = categories == null ? List.of() : List.copyOf(categories);
        }

        boolean watches(String category) {
            return categories.isEmpty() || categories.contains(category);
        }
    }
}
