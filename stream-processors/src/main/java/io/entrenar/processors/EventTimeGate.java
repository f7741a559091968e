package io.entrenar.processors;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.entrenar.events.MetricBatch;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * First node after the source: lets through only events whose times ({@code ts_micros}, and every
 * point of a {@code MetricBatch}) are plausible, i.e. not before 1970 and at most
 * {@code maxAhead} ahead of this processor's clock. The processors stamp their outputs with event
 * time, so an event from a host whose clock is hours ahead would make the broker refuse the output
 * ({@code message.timestamp.after.max.ms}), abort the exactly-once transaction and stop the task on
 * that event forever; inside the processors it would also push event time past every open window.
 * Refused events throw {@link OutOfRange}, which {@link DeadLetters.Processing} turns into a dead
 * letter before any store has seen the event.
 */
final class EventTimeGate implements Processor<String, SpecificRecord, String, SpecificRecord> {
    private final Duration maxAhead;
    private ProcessorContext<String, SpecificRecord> context;

    EventTimeGate(Duration maxAhead) {
        this.maxAhead = maxAhead;
    }

    /** An event time outside what the processors accept. */
    static final class OutOfRange extends RuntimeException {
        final long eventTimeMicros;
        final Duration limit;

        OutOfRange(String message, long eventTimeMicros, Duration limit) {
            super(message);
            this.eventTimeMicros = eventTimeMicros;
            this.limit = limit;
        }
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord event = record.value();
        if (event != null) {
            long nowMicros = context.currentSystemTimeMs() * 1000;
            long latestMicros = nowMicros + maxAhead.toNanos() / 1000;
            long ts = tsMicros(event);
            if (ts < 0 || ts > latestMicros) {
                throw outOfRange(event, "ts_micros", ts, nowMicros);
            }
            if (event instanceof MetricBatch batch) {
                List<Long> points = batch.getTimestampsMicros();
                for (int i = 0; i < points.size(); i++) {
                    long point = points.get(i);
                    if (point < 0 || point > latestMicros) {
                        throw outOfRange(event, "timestamps_micros[" + i + "]", point, nowMicros);
                    }
                }
            }
        }
        context.forward(record);
    }

    private OutOfRange outOfRange(SpecificRecord event, String field, long micros, long nowMicros) {
        String what = event.getSchema().getName() + " " + field + " = " + micros + " (" + instant(micros) + ")";
        String why = micros < 0
                ? "is before 1970: Kafka record timestamps cannot be negative"
                : "is " + (micros - nowMicros) / 1_000_000 + " s ahead of this processor's clock ("
                        + instant(nowMicros) + "); a clock that far ahead is wrong, and outputs stamped with it would be refused by the broker";
        return new OutOfRange(what + " " + why + " (limit " + ProcessorsConfig.EVENT_TIME_MAX_AHEAD_MS_CONFIG + "=" + maxAhead.toMillis() + ")",
                micros, maxAhead);
    }

    private static long tsMicros(SpecificRecord event) {
        Schema.Field f = event.getSchema().getField("ts_micros");
        if (f == null) {
            return 0;
        }
        return switch (event.get(f.pos())) {
            case Instant t -> micros(t);
            case Long l -> l;
            case null, default -> 0;
        };
    }

    private static long micros(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
        } catch (ArithmeticException e) {
            return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    static String instant(long micros) {
        return Instant.EPOCH.plusSeconds(Math.floorDiv(micros, 1_000_000L)).plusNanos(Math.floorMod(micros, 1_000_000L) * 1000).toString();
    }
}
