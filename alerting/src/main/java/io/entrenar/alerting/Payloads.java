package io.entrenar.alerting;

import java.time.Instant;
import java.util.Locale;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrenar.events.Alert;
import io.entrenar.events.AlertState;

/** What each channel type receives for an alert. */
final class Payloads {
    static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {
    }

    static String render(Routing.ChannelType type, Alert alert) {
        return switch (type) {
            case WEBHOOK -> toJson(generic(alert));
            case SLACK -> toJson(slack(alert));
            case STDERR -> headline(alert);
        };
    }

    /** The generic webhook body: every field of the incident transition, flat and documented. */
    static ObjectNode generic(Alert a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("incident_id", a.getIncidentId());
        n.put("state", a.getState().name());
        n.put("rule", a.getRule());
        n.put("severity", a.getSeverity().name());
        n.put("run_id", a.getRunId());
        n.put("experiment_id", a.getExperimentId());
        n.put("metric", a.getMetric());
        if (a.getStep() != null) {
            n.put("step", a.getStep());
        } else {
            n.putNull("step");
        }
        n.put("message", a.getMessage());
        n.put("suggested_action", a.getSuggestedAction());
        n.put("action", a.getAction().name());
        n.set("evidence", JSON.valueToTree(new TreeMap<>(a.getEvidence())));
        n.set("tags", JSON.valueToTree(new TreeMap<>(a.getTags())));
        n.put("fired_at", Instant.EPOCH.plusNanos(a.getFiredAtMicros() * 1000).toString());
        n.put("resolved_at", a.getResolvedAtMicros() == null ? null
                : Instant.EPOCH.plusNanos(a.getResolvedAtMicros() * 1000).toString());
        n.put("event_id", a.getEventId());
        return n;
    }

    /**
     * Slack incoming-webhook payload: a text fallback plus blocks. Every text that comes from a run
     * (names, messages, evidence) is escaped as Slack asks, so a run named {@code <!channel>} or
     * {@code <https://evil|click>} shows as text instead of pinging everyone or linking.
     */
    static ObjectNode slack(Alert a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("text", slackText(headline(a)));
        ArrayNode blocks = n.putArray("blocks");
        ObjectNode section = blocks.addObject().put("type", "section");
        StringBuilder md = new StringBuilder("*").append(slackText(headline(a))).append("*");
        if (a.getSuggestedAction() != null) {
            md.append("\nSuggested action: ").append(slackText(a.getSuggestedAction()));
        }
        new TreeMap<>(a.getEvidence()).forEach((k, v) -> md.append("\n• ").append(slackText(k)).append(": `")
                .append(slackText(v).replace('`', '\'')).append('`'));
        section.putObject("text").put("type", "mrkdwn").put("text", md.toString());
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", slackText("incident " + a.getIncidentId() + " · rule " + a.getRule() + " · run " + a.getRunId()));
        return n;
    }

    /** Slack's escaping of message text: {@code &}, {@code <} and {@code >} as entities (its control characters). */
    static String slackText(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** One line: state, severity, rule, run, message. */
    static String headline(Alert a) {
        String mark = a.getState() == AlertState.FIRING ? "FIRING" : "RESOLVED";
        return String.format(Locale.ROOT, "[%s] %s %s on run %s: %s", a.getSeverity(), mark, a.getRule(), a.getRunId(), a.getMessage());
    }

    private static String toJson(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
