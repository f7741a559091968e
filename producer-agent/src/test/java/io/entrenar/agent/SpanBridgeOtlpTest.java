package io.entrenar.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.entrenar.stack.SharedStack;
import io.entrenar.tracking.Run;
import io.entrenar.tracking.Tracker;
import io.entrenar.tracking.TrackerConfig;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional OTLP exporter against a real HTTP server: what it posts is decoded with the
 * OpenTelemetry protobuf classes and must carry the span under the run's trace and root span.
 */
@ExtendWith(SharedStack.class)
class SpanBridgeOtlpTest {
    @TempDir
    Path spool;

    record Post(String path, String contentType, byte[] body) {
    }

    @Test
    void spansOfTheRunArePostedAsOtlpProtobuf() throws Exception {
        List<Post> posts = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            posts.add(new Post(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
        try (Tracker tracker = Tracker.start(Map.of(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.stack().bootstrapServers(),
                TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, SharedStack.stack().registryUrl(),
                TrackerConfig.SPOOL_DIR_CONFIG, spool.toString()))) {
            Run run = tracker.experiment("otlp").run("otlp-export").start();
            SpanBridge bridge = new SpanBridge(run, tracker.lamport(), endpoint);
            Span span = bridge.tracer().spanBuilder("epoch 1").setParent(bridge.runContext())
                    .setAttribute("entrenar.step", 42L).startSpan();
            span.end();
            bridge.close(); // flushes the batch processor
            run.finish();

            assertFalse(posts.isEmpty(), "the exporter posted to the endpoint");
            Post post = posts.get(0);
            assertEquals("/v1/traces", post.path());
            assertEquals("application/x-protobuf", post.contentType());
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(post.body());
            ResourceSpans rs = request.getResourceSpans(0);
            assertEquals(run.id(), attribute(rs.getResource().getAttributesList(), "entrenar.run_id"));
            assertEquals("entrenar-agent", attribute(rs.getResource().getAttributesList(), "service.name"));
            io.opentelemetry.proto.trace.v1.Span s = rs.getScopeSpans(0).getSpans(0);
            assertEquals("epoch 1", s.getName());
            assertEquals(run.traceId(), HexFormat.of().formatHex(s.getTraceId().toByteArray()), "the run's trace");
            assertEquals(run.spanId(), HexFormat.of().formatHex(s.getParentSpanId().toByteArray()), "child of the run's root span");
            assertTrue(s.getAttributesList().stream().anyMatch(kv -> kv.getKey().equals("entrenar.step")
                    && kv.getValue().getIntValue() == 42L));
            assertTrue(s.getEndTimeUnixNano() >= s.getStartTimeUnixNano());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBadEndpointFailsTheConfigNamingTheKey() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.entrenar.config.ConfigFile.InvalidConfigException.class,
                () -> AgentConfig.resolve("agent.otlp.endpoint=localhost:4318", Map.of()));
        assertTrue(e.getMessage().startsWith("agent argument: ") && e.getMessage().contains("agent.otlp.endpoint"), e.getMessage());
    }

    private static String attribute(List<KeyValue> attributes, String key) {
        return attributes.stream().filter(kv -> kv.getKey().equals(key)).map(kv -> kv.getValue().getStringValue())
                .findFirst().orElse(null);
    }
}
