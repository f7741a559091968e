package io.entrenar.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrenar.events.AlertAction;
import io.entrenar.events.Severity;
import org.junit.jupiter.api.Test;

class AndonRulesTest {
    private static String error(String yaml) {
        return assertThrows(AndonRules.InvalidAndonRulesException.class, () -> AndonRules.parse("andon.yaml", yaml)).getMessage();
    }

    @Test
    void parsesEveryRuleTypeWithDefaults() {
        AndonRules rules = AndonRules.parse("andon.yaml", """
                rules:
                  - name: nan
                    type: non_finite
                    metrics: [loss]
                  - {name: div, type: divergence, z_score: 3}
                  - {name: stall, type: stall, max_seconds: 60, severity: critical}
                  - {name: flat, type: plateau, patience_steps: 10}
                  - {name: plan, type: plan_overrun, tolerance_pct: 5}
                  - {name: drift, type: drift, metric: accuracy, baseline: 0.9, max_deviation: 0.1, action: emergency_stop}
                  - {name: fail, type: failure, categories: [RESOURCE]}
                """);
        assertEquals(7, rules.rules().size());
        AndonRule.NonFinite nan = assertInstanceOf(AndonRule.NonFinite.class, rules.rules().get(0));
        assertEquals(AlertAction.EMERGENCY_STOP, nan.action());
        assertEquals(Severity.CRITICAL, nan.severity());
        AndonRule.Divergence div = assertInstanceOf(AndonRule.Divergence.class, rules.rules().get(1));
        assertEquals("loss", div.metric());
        assertEquals(null, div.ratioToMin(), "only the configured test applies");
        assertEquals(Severity.CRITICAL, rules.rules().get(2).severity());
        assertEquals(AlertAction.EMERGENCY_STOP, rules.rules().get(5).action());
    }

    @Test
    void errorsNameTheLineAndWhatIsWrong() {
        String unknownKey = error("""
                rules:
                  - name: nan
                    type: non_finite
                    metricz: [loss]
                """);
        assertTrue(unknownKey.startsWith("andon.yaml:4:"), unknownKey);
        assertTrue(unknownKey.contains("metricz"), unknownKey);

        String badType = error("""
                rules:
                  - name: x
                    type: explode
                """);
        assertTrue(badType.startsWith("andon.yaml:3:"), badType);
        assertTrue(badType.contains("known types: non_finite"), badType);

        String badValue = error("""
                rules:
                  - name: ok
                    type: stall
                  - name: neg
                    type: stall
                    max_seconds: -5
                """);
        assertTrue(badValue.startsWith("andon.yaml:6:"), badValue);
        assertTrue(badValue.contains("max_seconds must be a positive number, got -5.0"), badValue);

        String duplicate = error("""
                rules:
                  - {name: a, type: stall}
                  - {name: a, type: plateau}
                """);
        assertEquals("andon.yaml:3: duplicate rule name 'a', first used on line 2", duplicate);

        String missingBaseline = error("""
                rules:
                  - {name: d, type: drift, metric: acc, max_deviation: 1}
                """);
        assertTrue(missingBaseline.startsWith("andon.yaml:2:") && missingBaseline.contains("needs a finite baseline"), missingBaseline);

        String badSeverity = error("""
                rules:
                  - {name: d, type: stall, severity: loud}
                """);
        assertTrue(badSeverity.startsWith("andon.yaml:2:") && badSeverity.contains("loud"), badSeverity);

        assertTrue(error("alerts: []\n").contains("unknown key 'alerts'"));
        assertTrue(error("").contains("empty"));
    }
}
