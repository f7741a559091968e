package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shortened demo end to end, as a user runs it ({@code entrenar demo --quick --keep-running} in its
 * own JVM, training JVMs with the agent attached), then asserted on what landed in ClickHouse through
 * its HTTP endpoint: the runs, their points, one NaN alert, one failure per injected fault, and the
 * distillation's lineage edge.
 */
class DemoTest {
    private static final Pattern CLICKHOUSE = Pattern.compile("ClickHouse HTTP\\s+(http://\\S+)");
    private static final Pattern RECEIVER = Pattern.compile("Webhook receiver\\s+(http://\\S+)/deliveries");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void theQuickDemoLandsRunsPointsOneNanAlertOneFailurePerFaultAndTheDistillationLineage(@TempDir Path dir) throws Exception {
        try (CliProcess demo = CliProcess.start(Map.of(), "The pipeline keeps running. Press Ctrl+C to stop.",
                "demo", "--quick", "--free-ports", "--keep-running", "--ascii", "--data-dir", dir.resolve("demo").toString())) {
            String output = String.join("\n", demo.output);
            assertTrue(demo.output.stream().anyMatch(l -> l.startsWith("Demo finished in")), output);
            String clickHouse = demo.find(CLICKHOUSE);

            assertEquals(List.of("crash\tFAILED", "distill-student\tCOMPLETED", "distill-teacher\tCOMPLETED",
                    "logistic-digits\tCOMPLETED", "nan-lr-blowup\tFAILED"),
                    rows(clickHouse, "SELECT run_name, status FROM entrenar.runs WHERE experiment_name = 'demo' ORDER BY run_name"));

            for (String row : rows(clickHouse, """
                    SELECT r.run_name, count() AS points, countIf(NOT isFinite(p.value)) AS non_finite
                    FROM entrenar.metric_points AS p INNER JOIN entrenar.runs AS r ON r.run_id = p.run_id
                    WHERE r.experiment_name = 'demo' GROUP BY r.run_name ORDER BY r.run_name""")) {
                String[] f = row.split("\t");
                assertTrue(Long.parseLong(f[1]) > 20, "every run logged its steps: " + row);
                assertEquals(f[0].equals("nan-lr-blowup"), Long.parseLong(f[2]) > 0, "only the NaN run logged a non-finite value: " + row);
            }

            assertEquals(List.of("nan-lr-blowup\tloss"), rows(clickHouse, """
                    SELECT r.run_name, a.metric FROM entrenar.alerts AS a FINAL INNER JOIN entrenar.runs AS r ON r.run_id = a.run_id
                    WHERE a.rule = 'non_finite' AND a.state = 'FIRING'"""), "exactly one NaN alert");
            List<String> nanDeliveries = new ArrayList<>();
            for (JsonNode d : JSON.readTree(get(demo.find(RECEIVER) + "/deliveries"))) {
                JsonNode alert = d.get("body");
                if (alert.get("rule").asText().equals("non_finite") && alert.get("state").asText().equals("FIRING")) {
                    nanDeliveries.add(alert.get("metric").asText() + " signature " + (d.get("signature_valid").asBoolean() ? "valid" : "invalid"));
                }
            }
            assertEquals(List.of("loss signature valid"), nanDeliveries, "the webhook received the NaN alert once, signed");

            assertEquals(List.of("crash\tE_PROCESS_DIED\tINFRA", "nan-lr-blowup\tE_NONFINITE_LOSS\tMODEL"), rows(clickHouse, """
                    SELECT r.run_name, f.error_code, f.category FROM entrenar.failures AS f FINAL
                    INNER JOIN entrenar.runs AS r ON r.run_id = f.run_id WHERE r.experiment_name = 'demo' ORDER BY r.run_name"""),
                    "one failure per injected fault");

            assertEquals(List.of("distill-student\tdistill-teacher\tTEACHER"), rows(clickHouse, """
                    SELECT c.run_name, p.run_name, e.role FROM entrenar.lineage_edges AS e FINAL
                    INNER JOIN entrenar.runs AS c ON c.run_id = e.child_run_id
                    INNER JOIN entrenar.runs AS p ON p.run_id = e.parent_run_id"""));

            assertEquals(List.of("3"), rows(clickHouse, """
                    SELECT count() FROM entrenar.leaderboard FINAL WHERE run_id IN
                    (SELECT run_id FROM entrenar.runs WHERE experiment_name = 'demo')"""), "every completed run is ranked");
            List<String> agent = rows(clickHouse, """
                    SELECT (SELECT count() FROM entrenar.runs WHERE experiment_name = 'demo-jvm'),
                           (SELECT count() > 0 FROM entrenar.resources), (SELECT count() > 0 FROM entrenar.spans)""");
            assertEquals(List.of("4\t1\t1"), agent, "the agent's run of each training JVM, with resource samples and spans");
            assertEquals(List.of("5\t5"), rows(clickHouse, """
                    SELECT count(), countIf(tags['entrenar.jvm_run_id'] IN
                        (SELECT run_id FROM entrenar.runs WHERE experiment_name = 'demo-jvm'))
                    FROM entrenar.runs WHERE experiment_name = 'demo'"""), "every training run names the agent's run of its JVM");
            assertFalse(rows(clickHouse, """
                    SELECT s.category, s.operation, sum(s.count) AS calls, formatReadableSize(sum(s.bytes)) AS bytes,
                           round(sum(s.total_duration_micros) / 1e6, 2) AS seconds, max(s.max_duration_micros) AS worst_us
                    FROM entrenar.syscalls AS s
                    WHERE s.run_id IN (SELECT tags['entrenar.jvm_run_id'] FROM entrenar.runs WHERE experiment_name = 'demo')
                    GROUP BY s.category, s.operation ORDER BY seconds DESC""").isEmpty(), "the README's JVM-run query answers");

            List<String> queries = new ArrayList<>();
            for (String line : demo.output) {
                if (line.startsWith("  ./entrenar sql \"")) {
                    queries.add(line.substring("  ./entrenar sql \"".length(), line.length() - 1).replace("\\\"", "\""));
                }
            }
            assertEquals(3, queries.size(), output);
            for (String q : queries) {
                assertTrue(!rows(clickHouse, q).isEmpty(), "the suggested query answers: " + q);
            }
            List<String> tail = demo.stop("Stopped.");
            assertTrue(tail.contains("Stopping the pipeline ..."), tail.toString());
        }
    }

    private static List<String> rows(String clickHouse, String sql) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(clickHouse + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(sql + " FORMAT TSV")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), sql + "\n" + r.body());
        return r.body().isEmpty() ? List.of() : Arrays.asList(r.body().split("\n"));
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
