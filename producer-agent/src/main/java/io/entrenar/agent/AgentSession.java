package io.entrenar.agent;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.entrenar.events.ResourceSample;
import io.entrenar.events.SyscallAggregate;
import io.entrenar.tracking.DeviceProbe;
import io.entrenar.tracking.RaplMeter;
import io.entrenar.tracking.Run;
import io.entrenar.tracking.Tracker;
import io.opentelemetry.api.trace.Span;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent runs in a JVM: a tracker, one automatic run named after the main class, periodic
 * resource samples and JFR aggregates, and an OpenTelemetry span of the process under the run's
 * root span. Closing (at JVM exit) ends the span, emits the last interval, finishes the run with a
 * summary and closes the tracker, which flushes or spools everything.
 */
final class AgentSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);

    private final Tracker tracker;
    private final Run run;
    private final ResourceSampler resources;
    private final JfrAggregator jfr;
    private final SpanBridge spans;
    private final Span processSpan;
    private final ScheduledExecutorService scheduler;
    private boolean closed;

    private AgentSession(AgentConfig config, boolean attached, String runId) {
        // The program's arguments may hold secrets: the name carries the main class only, the kept command line is redacted.
        ProgramIdentity program = ProgramIdentity.of(System.getProperty("sun.java.command", ""));
        String runName = !config.runName().isEmpty() ? config.runName() : program.simpleName();
        if (runName.length() > 200) {
            runName = runName.substring(0, 200);
        }
        tracker = Tracker.start(config.trackerConfig());
        run = tracker.experiment(config.experiment().isEmpty() ? program.simpleName() : config.experiment()).run(runName).id(runId)
                .source(program.mainClass(), program.commandLine()).device(DeviceProbe.detect())
                .tag("entrenar.agent", attached ? "attached" : "premain")
                .tag("jvm.uptime_ms_at_start", Long.toString(ManagementFactory.getRuntimeMXBean().getUptime()))
                .start();
        resources = new ResourceSampler(run, tracker.lamport(), RaplMeter.open());
        jfr = config.jfr() ? new JfrAggregator(run, tracker.lamport(), resources, config.ioThresholdMs(), config.waitThresholdMs(),
                config.intervalMs()) : null;
        spans = new SpanBridge(run, tracker.lamport(), config.otlpEndpoint());
        processSpan = spans.tracer().spanBuilder("jvm " + program.simpleName()).setParent(spans.runContext())
                .setAttribute("process.pid", ProcessHandle.current().pid())
                .setAttribute("process.command", program.mainClass())
                .setAttribute(io.opentelemetry.api.common.AttributeKey.stringArrayKey("process.command_args"), program.args())
                .setAttribute("entrenar.agent.mode", attached ? "attach" : "premain").startSpan();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "entrenar-agent-sampler");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(this::tick, config.intervalMs(), config.intervalMs(), TimeUnit.MILLISECONDS);
    }

    static AgentSession start(AgentConfig config, boolean attached, String runId) {
        return new AgentSession(config, attached, runId);
    }

    Run run() {
        return run;
    }

    private void tick() {
        try {
            ResourceSample sample = resources.sample();
            run.emit(sample);
            if (jfr != null) {
                SyscallAggregate agg = jfr.drain();
                if (agg != null) {
                    run.emit(agg);
                }
            }
        } catch (RuntimeException e) {
            // a run that ended or a closed tracker: nothing more to sample; never disturb the program
            LOG.warn("entrenar agent: sample skipped: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        try {
            if (jfr != null) {
                jfr.stopAndFlush();
            }
            tick();
            if (jfr != null) {
                jfr.close();
            }
            processSpan.end();
            spans.close();
            Map<String, Double> summary = new LinkedHashMap<>();
            summary.put("actual_peak_heap_mb", resources.peakHeapMb());
            Double joules = resources.energyJoules();
            if (joules != null) {
                summary.put("energy_joules", joules);
            }
            if (run.status() != io.entrenar.events.RunStatus.COMPLETED && run.status() != io.entrenar.events.RunStatus.FAILED) {
                run.finish(summary);
            }
        } catch (RuntimeException e) {
            LOG.warn("entrenar agent: error while finishing the run: {}", e.toString());
        } finally {
            tracker.close();
        }
    }
}
