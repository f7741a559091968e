package io.entrenar.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrenar.events.Alert;
import io.entrenar.events.AlertAction;
import io.entrenar.events.AlertState;
import io.entrenar.events.ControlAction;
import io.entrenar.events.ControlCommand;
import io.entrenar.events.MetricBatch;
import io.entrenar.events.Severity;
import io.entrenar.schemas.DeadLetter;
import io.entrenar.schemas.Topic;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.serde.AvroSerdeConfig;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.stack.SharedStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerting app on a real broker and registry, delivering to real HTTP servers on loopback that
 * fail, time out or refuse. Each test routes only its own experiment, so tests sharing the alerts
 * topic do not see each other's incidents.
 */
@ExtendWith(SharedStack.class)
class AlertingAppTest {
    private static final String SECRET = "test-secret";

    @TempDir
    Path dir;
    private String experiment;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void uniqueExperiment() {
        experiment = "exp-" + UUID.randomUUID();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void retriesA500ingWebhookThenDeliversOnceSigned() throws Exception {
        TestEndpoint endpoint = endpoint(n -> n < 2 ? TestEndpoint.Answer.status(500) : TestEndpoint.Answer.status(200));
        AlertingApp app = start(webhook(endpoint.url(), "initial_backoff: 50ms"), "g1");
        String incident = produce(alert(AlertState.FIRING, AlertAction.NOTIFY));

        await(() -> endpoint.accepted().size() == 1, "delivered after two 500s");
        assertEquals(3, endpoint.received().size());
        TestEndpoint.Received delivered = endpoint.accepted().get(0);
        assertTrue(WebhookSignature.verify(SECRET, delivered.signature(), delivered.body().getBytes(StandardCharsets.UTF_8),
                Instant.now().getEpochSecond(), 300), "signed with the channel secret");
        JsonNode body = Payloads.JSON.readTree(delivered.body());
        assertEquals(incident, body.get("incident_id").asText());
        assertEquals("FIRING", body.get("state").asText());
        assertEquals("non_finite", body.get("rule").asText());
        assertEquals(incident + "/FIRING/oncall", delivered.deliveryId());
        assertEquals(2, app.stats().retries());
        quiet(endpoint, 1);
    }

    @Test
    void firingAndResolvedArriveOnceEachInOrderWhenAlertsAreRedelivered() throws Exception {
        TestEndpoint endpoint = endpoint(n -> TestEndpoint.Answer.status(200));
        AlertingApp app = start(webhook(endpoint.url(), ""), "g2");
        io.entrenar.ops.Metrics metrics = new io.entrenar.ops.Metrics();
        app.registerMetrics(metrics);
        // The alerts topic holds the other tests' alerts too: count from where this group caught up.
        await(() -> value(metrics, "entrenar_alerting_consumer_lag_records") == 0, "caught up with earlier alerts");
        app.readiness().forEach((name, check) -> assertEquals(null, check.get(), name));
        double consumed = value(metrics, "entrenar_alerting_alerts_consumed_total");
        double open = value(metrics, "entrenar_alerting_open_incidents");
        Alert firing = alert(AlertState.FIRING, AlertAction.NOTIFY);
        produce(firing);
        produce(firing); // the processors re-emitted it (e.g. a replay upstream)
        await(() -> value(metrics, "entrenar_alerting_alerts_consumed_total") == consumed + 2, "both FIRING copies consumed");
        // the consumed counter moves when a record is read, the incident set when it has been handled: await, not assert
        await(() -> value(metrics, "entrenar_alerting_open_incidents") == open + 1, "one incident open for both copies");
        produce(withState(firing, AlertState.RESOLVED));
        await(() -> value(metrics, "entrenar_alerting_alerts_consumed_total") == consumed + 3, "the RESOLVED consumed");
        await(() -> value(metrics, "entrenar_alerting_open_incidents") == open, "the incident closed");

        await(() -> endpoint.accepted().size() == 2, "FIRING and RESOLVED delivered");
        assertEquals(List.of("FIRING", "RESOLVED"), endpoint.accepted().stream()
                .map(r -> readField(r.body(), "state")).toList());
        await(() -> app.stats().duplicatesSkipped() >= 1, "the duplicate FIRING was recognised");
        quiet(endpoint, 2);
    }

    @Test
    void aTimeoutIsRetried() throws Exception {
        TestEndpoint endpoint = endpoint(n -> n == 0 ? TestEndpoint.Answer.slow(1_500) : TestEndpoint.Answer.status(200));
        start(webhook(endpoint.url(), "initial_backoff: 50ms", "timeout: 300ms"), "g3");
        produce(alert(AlertState.FIRING, AlertAction.NOTIFY));
        await(() -> endpoint.accepted().size() >= 1 && endpoint.received().size() >= 2, "retried after the timeout");
        // The slow first request eventually completes server-side with 200 after the client gave up:
        // the client must not count it, and exactly one delivery was acknowledged to the client.
        assertTrue(endpoint.received().size() == 2, endpoint.received().toString());
    }

    @Test
    void aRefusingEndpointIsDeadLetteredAtOnceWithTheReason() throws Exception {
        TestEndpoint endpoint = endpoint(n -> TestEndpoint.Answer.status(410));
        // a webhook URL with its credential in the path and the query, as Slack's and others' are
        String secretUrl = endpoint.url() + "/services/T0/B0/s3cr3t-token?key=k3y";
        AlertingApp app = start(webhook(secretUrl, ""), "g4");
        String incident = produce(alert(AlertState.FIRING, AlertAction.NOTIFY));
        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(incident + "/FIRING/oncall");
        assertEquals("REJECTED", header(dead, DeadLetter.REASON));
        assertEquals("alerting", header(dead, DeadLetter.APP));
        String shown = endpoint.url().substring(0, endpoint.url().indexOf("/hook"));
        assertTrue(header(dead, DeadLetter.MESSAGE).startsWith("HTTP 410 from " + shown + "/…: "), header(dead, DeadLetter.MESSAGE));
        assertFalse(header(dead, DeadLetter.MESSAGE).contains("s3cr3t") || header(dead, DeadLetter.MESSAGE).contains("k3y"),
                "the URL's credential stays out of dead letters and logs");
        assertEquals(incident, readField(new String(dead.value(), StandardCharsets.UTF_8), "incident_id"));
        assertEquals(1, endpoint.received().size(), "a 4xx is not retried");
        assertEquals(1, app.stats().dead());
    }

    @Test
    void spentRetriesAreDeadLettered() throws Exception {
        TestEndpoint endpoint = endpoint(n -> TestEndpoint.Answer.status(503));
        start(webhook(endpoint.url(), "initial_backoff: 20ms, max_attempts: 3"), "g5");
        String incident = produce(alert(AlertState.FIRING, AlertAction.NOTIFY));
        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(incident + "/FIRING/oncall");
        assertEquals("RETRIES_EXHAUSTED", header(dead, DeadLetter.REASON));
        assertTrue(header(dead, DeadLetter.MESSAGE).contains("retry budget spent after 3 attempts"), header(dead, DeadLetter.MESSAGE));
        assertEquals(3, endpoint.received().size());
    }

    @Test
    void aRestartInTheMiddleOfRetriesDeliversOnce() throws Exception {
        TestEndpoint endpoint = endpoint(n -> TestEndpoint.Answer.status(503));
        String routes = webhook(endpoint.url(), "initial_backoff: 100ms, max_backoff: 200ms, max_attempts: 100");
        AlertingApp first = start(routes, "g6");
        produce(alert(AlertState.FIRING, AlertAction.NOTIFY));
        await(() -> endpoint.received().size() >= 2, "retrying");
        first.close();
        open.remove(first);
        int attemptsBefore = endpoint.received().size();

        endpoint.script(n -> TestEndpoint.Answer.status(200));
        AlertingApp second = start(routes, "g6");
        await(() -> endpoint.accepted().size() == 1, "the restarted app finished the delivery");
        quiet(endpoint, 1);
        assertTrue(endpoint.received().size() == attemptsBefore + 1, "one more request after the restart");
        assertEquals(0, second.stats().accepted(), "the alert was not accepted a second time");
    }

    @Test
    void emergencyStopPublishesStopForTheRun() throws Exception {
        TestEndpoint endpoint = endpoint(n -> TestEndpoint.Answer.status(200));
        start(webhook(endpoint.url(), ""), "g7");
        Alert alert = alert(AlertState.FIRING, AlertAction.EMERGENCY_STOP);
        produce(alert);
        ControlCommand stop = awaitControl(alert.getRunId());
        assertEquals(ControlAction.STOP, stop.getAction());
        assertEquals("andon:stop:" + alert.getIncidentId(), stop.getCommandId());
        assertEquals(alert.getIncidentId(), stop.getIncidentId());
        assertEquals("andon:non_finite", stop.getIssuedBy());
        await(() -> endpoint.accepted().size() == 1, "and on-call hears about it");
    }

    @Test
    void slackChannelsGetTextAndBlocks() throws Exception {
        TestEndpoint endpoint = endpoint(n -> TestEndpoint.Answer.status(200));
        start("""
                channels:
                  team:
                    type: slack
                    url: %s
                routes:
                  - name: mine
                    match: {experiment: [%s]}
                    channels: [team]
                """.formatted(endpoint.url(), experiment), "g8");
        Alert alert = alert(AlertState.FIRING, AlertAction.NOTIFY);
        produce(alert);
        await(() -> endpoint.accepted().size() == 1, "slack delivery");
        JsonNode body = Payloads.JSON.readTree(endpoint.accepted().get(0).body());
        assertEquals("[CRITICAL] FIRING non_finite on run " + alert.getRunId() + ": loss is NaN at step 120", body.get("text").asText());
        assertEquals("section", body.get("blocks").get(0).get("type").asText());
        assertTrue(body.get("blocks").get(0).get("text").get("text").asText().contains("• metric: `loss`"));

        // A run can carry Slack's control sequences in anything it names: they arrive as text.
        Alert hostile = Alert.newBuilder(alert(AlertState.FIRING, AlertAction.NOTIFY))
                .setMessage("loss is NaN <!channel> see <https://evil.example|the fix> & more")
                .setSuggestedAction("<!here> run `rm -rf`").setEvidence(Map.of("<@U123>", "<!everyone>")).build();
        produce(hostile);
        await(() -> endpoint.accepted().size() == 2, "second slack delivery");
        String raw = endpoint.accepted().get(1).body();
        JsonNode second = Payloads.JSON.readTree(raw);
        assertTrue(second.get("text").asText().endsWith("loss is NaN &lt;!channel&gt; see &lt;https://evil.example|the fix&gt; &amp; more"),
                second.get("text").asText());
        for (JsonNode text : second.findValues("text")) {
            if (text.isTextual()) {
                assertTrue(!text.asText().contains("<") && !text.asText().contains(">"), "no raw < or > reaches Slack: " + text);
            }
        }
        assertTrue(raw.contains("&lt;!here&gt;") && raw.contains("&lt;@U123&gt;: `&lt;!everyone&gt;`"), raw);
    }

    @Test
    void undecodableAlertsAreDeadLetteredWithTheirPosition() throws Exception {
        TestEndpoint endpoint = endpoint(n -> TestEndpoint.Answer.status(200));
        AlertingApp app = start(webhook(endpoint.url(), ""), "g9-" + UUID.randomUUID());
        long offset;
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            offset = raw.send(new ProducerRecord<>(Topic.ALERTS.topicName(), 0, "run-x", "{not avro}".getBytes(StandardCharsets.UTF_8))).get().offset();
        }
        await(() -> app.stats().undecodable() >= 1, "counted");
        // Other tests leave bad records on the topic too: wait for this one's dead letter, not for a count.
        ConsumerRecord<String, byte[]> dead = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (dead == null && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : readFrom(Topic.DLQ.topicName(), 5)) {
                if ("MISSING_MAGIC_BYTE".equals(header(r, DeadLetter.REASON)) && Long.toString(offset).equals(header(r, DeadLetter.SOURCE_OFFSET))) {
                    dead = r;
                }
            }
        }
        assertTrue(dead != null, "the undecodable alert is on the DLQ");
        assertEquals("{not avro}", new String(dead.value(), StandardCharsets.UTF_8));
        assertEquals(Topic.ALERTS.topicName(), header(dead, DeadLetter.SOURCE_TOPIC));
    }

    @Test
    void tombstonesAndOtherEventTypesAreDeadLetteredAndTheRouterGoesOn() throws Exception {
        TestEndpoint endpoint = endpoint(n -> TestEndpoint.Answer.status(200));
        AlertingApp app = start(webhook(endpoint.url(), ""), "g10-" + UUID.randomUUID());
        long tombstone;
        long metrics;
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
             AvroSerializer<MetricBatch> batches = new AvroSerializer<>(SharedStack.registry(), Map.of(), false)) {
            tombstone = raw.send(new ProducerRecord<>(Topic.ALERTS.topicName(), 0, "run-t", null)).get().offset();
            MetricBatch batch = MetricBatch.newBuilder().setEventId("e").setRunId("run-m").setTsMicros(Instant.now()).setLamport(1)
                    .setProducerId("p").setSequence(0).setNames(List.of("loss")).setNameIds(List.of(0)).setSteps(List.of(1L))
                    .setValues(List.of(0.5)).setTimestampsMicros(List.of(1L)).build();
            // framed for the metrics topic, sent to the alerts topic: a misrouted producer
            metrics = raw.send(new ProducerRecord<>(Topic.ALERTS.topicName(), 0, "run-m",
                    batches.serialize(Topic.METRICS.topicName(), batch))).get().offset();
        }
        Alert alert = alert(AlertState.FIRING, AlertAction.NOTIFY);
        produce(alert);
        await(() -> endpoint.accepted().size() == 1, "the alert after the bad records is delivered: the router lives");
        assertTrue(app.stats().undecodable() >= 2, "counted (the topic may hold other tests' bad records too)");
        java.util.Map<String, String> reasons = new java.util.HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readFrom(Topic.DLQ.topicName(), 30)) {
            if (Topic.ALERTS.topicName().equals(header(r, DeadLetter.SOURCE_TOPIC))) {
                reasons.put(header(r, DeadLetter.SOURCE_OFFSET), header(r, DeadLetter.REASON));
            }
        }
        assertEquals("TOMBSTONE", reasons.get(Long.toString(tombstone)), reasons.toString());
        assertEquals("WRONG_TYPE", reasons.get(Long.toString(metrics)), reasons.toString());
    }

    @Test
    void anIndependentPythonReceiverVerifiesTheSignature() throws Exception {
        Process receiver = new ProcessBuilder("/usr/bin/python3", repo().resolve("interop/python/webhook_receiver.py").toString(),
                "--secret", SECRET).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        open.add(receiver::destroy);
        BufferedReader out = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
        String port = out.readLine().replace("listening ", "");
        String url = "http://127.0.0.1:" + port + "/hook";
        start(webhook(url, ""), "g10");
        String incident = produce(alert(AlertState.FIRING, AlertAction.NOTIFY));
        JsonNode line = Payloads.JSON.readTree(out.readLine());
        assertTrue(line.get("signature_valid").asBoolean(), line.toString());
        assertEquals(incident, line.get("body").get("incident_id").asText());

        // And it refuses a forged request, so the check above is not vacuous.
        HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header(WebhookSignature.HEADER, WebhookSignature.sign("wrong-secret", Instant.now().getEpochSecond(), "{}".getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, forged.statusCode());
        assertTrue(!Payloads.JSON.readTree(out.readLine()).get("signature_valid").asBoolean());
    }

    // ---- helpers ----

    private TestEndpoint endpoint(java.util.function.IntFunction<TestEndpoint.Answer> script) throws IOException {
        TestEndpoint e = new TestEndpoint(script);
        open.add(e);
        return e;
    }

    private String webhook(String url, String retry, String... extra) {
        return """
                channels:
                  oncall:
                    type: webhook
                    url: %s
                    secret: %s
                    %s
                    retry: {%s}
                routes:
                  - name: mine
                    match: {experiment: [%s]}
                    channels: [oncall]
                """.formatted(url, SECRET, extra.length > 0 ? extra[0] : "timeout: 2s", retry, experiment);
    }

    private AlertingApp start(String routesYaml, String group) throws IOException {
        Path routes = Files.writeString(dir.resolve(group + ".yaml"), routesYaml);
        AlertingApp app = AlertingApp.start(new AlertingConfig(Map.of(
                AlertingConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.stack().bootstrapServers(),
                AlertingConfig.SCHEMA_REGISTRY_URL_CONFIG, SharedStack.stack().registryUrl(),
                AlertingConfig.ROUTES_FILE_CONFIG, routes.toString(),
                AlertingConfig.GROUP_ID_CONFIG, "alerting-test-" + group + "-" + experiment,
                AlertingConfig.STATE_TOPIC_CONFIG, "alerting-test-state-" + experiment)));
        open.add(app);
        return app;
    }

    private Alert alert(AlertState state, AlertAction action) {
        return Alert.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId("run-" + UUID.randomUUID())
                .setTsMicros(Instant.now()).setLamport(1).setIncidentId("inc-" + UUID.randomUUID()).setState(state)
                .setRule("non_finite").setSeverity(Severity.CRITICAL).setMetric("loss").setStep(120L)
                .setMessage("loss is NaN at step 120").setSuggestedAction("lower the learning rate").setAction(action)
                .setEvidence(Map.of("metric", "loss", "value", "NaN")).setExperimentId(experiment)
                .setFiredAtMicros(1_700_000_000_000_000L).build();
    }

    private static Alert withState(Alert alert, AlertState state) {
        return Alert.newBuilder(alert).setEventId(UUID.randomUUID().toString()).setState(state)
                .setResolvedAtMicros(1_700_000_060_000_000L).build();
    }

    private static String produce(Alert alert) throws Exception {
        try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers()),
                new StringSerializer(), new AvroSerializer<>(SharedStack.registry(), Map.of(), false))) {
            producer.send(new ProducerRecord<>(Topic.ALERTS.topicName(), alert.getRunId(), alert)).get();
        }
        return alert.getIncidentId();
    }

    /** The value of an unlabelled series on the scrape page. */
    private static double value(io.entrenar.ops.Metrics metrics, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\n" + name + " (\\S+)\n").matcher(metrics.scrape());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Nothing more arrives for a while: "once" means once, not "at least once so far". */
    private static void quiet(TestEndpoint endpoint, int accepted) throws InterruptedException {
        Thread.sleep(700);
        assertEquals(accepted, endpoint.accepted().size(), "deliveries after a quiet period");
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(String deliveryId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : readFrom(Topic.DLQ.topicName(), 2)) {
                if (deliveryId.equals(header(r, "entrenar.dlq.delivery_id"))) {
                    return r;
                }
            }
        }
        throw new AssertionError("no dead letter for " + deliveryId);
    }

    private static ControlCommand awaitControl(String runId) {
        try (AvroDeserializer<ControlCommand> d = new AvroDeserializer<>(SharedStack.registry(),
                Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false)) {
            for (int i = 0; i < 15; i++) {
                for (ConsumerRecord<String, byte[]> r : readFrom(Topic.CONTROL.topicName(), 2)) {
                    if (runId.equals(r.key())) {
                        return d.deserialize(r);
                    }
                }
            }
        }
        throw new AssertionError("no control command for " + runId);
    }

    /** Everything on the topic (all partitions, from the start), polling for up to {@code seconds}. */
    private static List<ConsumerRecord<String, byte[]>> readFrom(String topic, int seconds) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = rawConsumer()) {
            List<TopicPartition> partitions = partitions(c, topic);
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    private static KafkaConsumer<String, byte[]> rawConsumer() {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        return c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String readField(String json, String field) {
        try {
            return Payloads.JSON.readTree(json).get(field).asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path repo() {
        Path d = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(d.resolve("interop"))) {
            d = d.getParent();
        }
        return d;
    }
}
