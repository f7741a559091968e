package io.entrenar.agent;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.entrenar.events.Span;
import io.entrenar.events.SpanKind;
import io.entrenar.events.SpanStatus;
import io.entrenar.tracking.LamportClock;
import io.entrenar.tracking.Run;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * OpenTelemetry SDK tracing inside the run: spans started from {@link #tracer()} are children of
 * the run's root span (same trace id) and are exported to entrenar.spans.v1 as Span events, and,
 * with an OTLP endpoint, also batched to it over OTLP/HTTP (the JDK's HTTP client; closing flushes).
 */
final class SpanBridge implements AutoCloseable {
    private final Run run;
    private final SdkTracerProvider provider;
    private final Context runContext;

    SpanBridge(Run run, LamportClock lamport) {
        this(run, lamport, "");
    }

    /** {@code otlpEndpoint}: an OTLP/HTTP traces URL, or empty for Kafka only. */
    SpanBridge(Run run, LamportClock lamport, String otlpEndpoint) {
        this.run = run;
        SdkTracerProviderBuilder builder = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(io.opentelemetry.api.common.Attributes.of(
                        AttributeKey.stringKey("service.name"), "entrenar-agent",
                        AttributeKey.stringKey("entrenar.run_id"), run.id(),
                        AttributeKey.stringKey("entrenar.run_name"), run.name()))))
                .addSpanProcessor(SimpleSpanProcessor.create(new Exporter(run, lamport)));
        if (!otlpEndpoint.isEmpty()) {
            builder.addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(otlpEndpoint).build()).build());
        }
        this.provider = builder.build();
        this.runContext = Context.root().with(io.opentelemetry.api.trace.Span.wrap(SpanContext.createFromRemoteParent(
                run.traceId(), run.spanId(), TraceFlags.getSampled(), TraceState.getDefault())));
    }

    Tracer tracer() {
        return provider.get("io.entrenar.agent");
    }

    /** Context whose current span is the run's root span, to parent spans of the process. */
    Context runContext() {
        return runContext;
    }

    @Override
    public void close() {
        provider.close();
    }

    private static final class Exporter implements SpanExporter {
        private final Run run;
        private final LamportClock lamport;

        Exporter(Run run, LamportClock lamport) {
            this.run = run;
            this.lamport = lamport;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            for (SpanData s : spans) {
                Map<String, String> attrs = new HashMap<>();
                s.getAttributes().forEach((k, v) -> attrs.put(k.getKey(), String.valueOf(v)));
                long start = TimeUnit.NANOSECONDS.toMicros(s.getStartEpochNanos());
                long end = TimeUnit.NANOSECONDS.toMicros(s.getEndEpochNanos());
                try {
                    run.emit(Span.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(run.id())
                            .setTsMicros(java.time.Instant.ofEpochSecond(0, s.getEndEpochNanos())).setLamport(lamport.tick())
                            .setTraceId(s.getTraceId()).setSpanId(s.getSpanId())
                            .setParentSpanId(s.getParentSpanContext().isValid() ? s.getParentSpanId() : null)
                            .setName(s.getName()).setKind(SpanKind.valueOf(s.getKind().name())).setStartMicros(start).setEndMicros(end)
                            .setStatus(s.getStatus().getStatusCode() == StatusCode.ERROR ? SpanStatus.ERROR
                                    : s.getStatus().getStatusCode() == StatusCode.OK ? SpanStatus.OK : SpanStatus.UNSET)
                            .setStatusMessage(s.getStatus().getDescription().isEmpty() ? null : s.getStatus().getDescription())
                            .setStep(run.lastStep() >= 0 ? run.lastStep() : null).setAttributes(attrs).build());
                } catch (RuntimeException e) {
                    return CompletableResultCode.ofFailure();
                }
            }
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
