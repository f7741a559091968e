package io.entrenar.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.entrenar.events.Alert;
import io.entrenar.events.AlertState;
import io.entrenar.events.Severity;
import org.junit.jupiter.api.Test;

class RoutingLoaderTest {
    private static final String VALID = """
            channels:
              oncall:
                type: webhook
                url: http://127.0.0.1:9000/hook
                secret_env: HOOK_SECRET
                timeout: 2s
                retry: {max_attempts: 5, initial_backoff: 100ms, max_backoff: 5s}
                rate_limit: {per_second: 5}
                circuit_breaker: {failure_threshold: 3, open_for: 1m}
              team-slack:
                type: slack
                url: https://hooks.slack.example/services/T0/B0/x
              console:
                type: stderr
            routes:
              - name: critical
                match: {severity: [CRITICAL, EMERGENCY], tags: {team: ml}}
                channels: [oncall, team-slack]
              - name: everything
                channels: console
            """;

    @Test
    void aValidFileWithDefaults() {
        Routing r = RoutingLoader.parse("routes.yaml", VALID, Map.of("HOOK_SECRET", "s")::get);
        Routing.Channel oncall = r.channels().get("oncall");
        assertEquals("s", oncall.secret());
        assertEquals(Duration.ofSeconds(2), oncall.timeout());
        assertEquals(5, oncall.retry().maxAttempts());
        assertEquals(2.0, oncall.retry().multiplier(), "default multiplier");
        assertEquals(5, oncall.rateLimit().burst(), "burst defaults to the rate");
        assertEquals(Duration.ofMinutes(1), oncall.breaker().openFor());
        assertEquals(Duration.ofSeconds(5), r.channels().get("team-slack").timeout(), "default timeout");

        Alert critical = alert(Severity.CRITICAL, Map.of("team", "ml"));
        assertEquals(List.of("oncall", "team-slack", "console"), r.channelsFor(critical).stream().map(Routing.Channel::name).toList());
        assertEquals(List.of("console"), r.channelsFor(alert(Severity.CRITICAL, Map.of("team", "infra"))).stream()
                .map(Routing.Channel::name).toList());
        assertEquals(Set.of("console"), Set.copyOf(r.channelsFor(alert(Severity.WARNING, Map.of("team", "ml"))).stream()
                .map(Routing.Channel::name).toList()));
    }

    @Test
    void mistakesAreNamedWithLineAndPath() {
        assertError(VALID.replace("    timeout: 2s", "    timout: 2s"),
                "routes.yaml:6: channels.oncall: unknown key 'timout' (did you mean timeout?)");
        assertError(VALID.replace("timeout: 2s", "timeout: soon"),
                "routes.yaml:6: channels.oncall.timeout: expected a positive duration such as 250ms, 5s, 2m or 1h, found \"soon\"");
        assertError(VALID.replace("channels: [oncall, team-slack]", "channels: [oncall, team-slak]"),
                "routes.yaml:18: routes[0].channels: no channel named 'team-slak' (did you mean team-slack?)");
        assertError(VALID.replace("[CRITICAL, EMERGENCY]", "[CRITICAL, EMERGENCYY]"),
                "routes.yaml:17: routes[0].match.severity: unknown severity 'EMERGENCYY' (did you mean EMERGENCY?)");
        assertError(VALID.replace("    url: https://hooks.slack.example/services/T0/B0/x\n", ""),
                "routes.yaml:11: channels.team-slack.url: is required");
        assertError(VALID.replace("type: slack", "type: teams"),
                "routes.yaml:11: channels.team-slack.type: unknown value 'teams'; known: slack, stderr, webhook");
        assertError(VALID.replace("initial_backoff: 100ms", "initial_backoff: 10s"),
                "routes.yaml:7: channels.oncall.retry: initial_backoff (PT10S) exceeds max_backoff (PT5S)");
        assertError(VALID.replace("url: http://127.0.0.1:9000/hook", "url: ftp://x"),
                "routes.yaml:4: channels.oncall.url: 'ftp://x' is not an http(s) URL");
        assertError(VALID.replace("  - name: everything", "  - name: critical"),
                "routes.yaml:19: routes[1].name: duplicate route name 'critical'");
        assertError(VALID.replace("    type: stderr", "    type: stderr\n    type: webhook"),
                "routes.yaml:15: duplicate key 'type' (first on line 14)");
        assertError("channels: [", "routes.yaml:1: not valid YAML");
    }

    @Test
    void aMissingSecretVariableIsAnErrorNotAnUnsignedChannel() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> RoutingLoader.parse("routes.yaml", VALID, k -> null));
        assertEquals("routes.yaml:5: channels.oncall.secret_env: environment variable HOOK_SECRET is not set", e.getMessage());
    }

    private static void assertError(String yaml, String expectedStart) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> RoutingLoader.parse("routes.yaml", yaml, Map.of("HOOK_SECRET", "s")::get));
        if (!e.getMessage().startsWith(expectedStart)) {
            throw new AssertionError("expected the error to start with\n  " + expectedStart + "\nbut it was\n  " + e.getMessage());
        }
    }

    static Alert alert(Severity severity, Map<String, String> tags) {
        return Alert.newBuilder().setEventId("e").setRunId("run-1").setTsMicros(java.time.Instant.EPOCH).setLamport(1)
                .setIncidentId("i-1").setState(AlertState.FIRING).setRule("non_finite").setSeverity(severity)
                .setMessage("loss is NaN").setFiredAtMicros(0).setTags(tags).build();
    }
}
