package io.entrenar.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.entrenar.cli.view.RunInfo;
import io.entrenar.cli.watch.Watcher;
import io.entrenar.sink.engine.JdbcEngine;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entrenar runs watch}: the live terminal dashboard of spec 7.2. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Live terminal dashboard of a run (spec 7.2): progress and ETA, sparklines with mean/std/trend, "
                + "resource plan vs actual, syscall/IO counters, open alerts.",
                "Keys: q quit, p pause/resume the display, s screenshot to a text file, g promote the run to golden "
                        + "(a RunAnnotated event with tag golden=true on entrenar.runs.v1)."})
final class RunsWatchCommand implements Callable<Integer> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)?");

    @Spec
    CommandSpec spec;

    @Mixin
    ViewOptions view;

    @Mixin
    ProcessorsOption processors;

    @Mixin
    RunsCommand.Cluster cluster;

    @Parameters(paramLabel = "RUN", arity = "0..1", description = "Run id (or use --experiment NAME --latest).")
    String runId;

    @Option(names = "--experiment", paramLabel = "NAME", description = "Experiment name or id; with --latest watches its newest run.")
    String experiment;

    @Option(names = "--latest", description = "With --experiment: the experiment's newest run (waits for one to start).")
    boolean latest;

    @Option(names = "--refresh", paramLabel = "DURATION", defaultValue = "1s",
            description = "Redraw interval: 500ms, 2s, 1m (default ${DEFAULT-VALUE}; at least 100ms).")
    String refresh;

    @Option(names = "--once", description = "Print one frame as plain text and exit (scripts, logs).")
    boolean once;

    @Option(names = "--plain", description = "Never take over the terminal: print frames one after another, exit when the run finishes.")
    boolean plain;

    @Option(names = "--screenshot-dir", paramLabel = "DIR", defaultValue = ".",
            description = "Where the s key writes screenshots (default: the current directory).")
    Path screenshotDir;

    @Option(names = "--by", defaultValue = "${sys:user.name}", description = "Who promotes to golden (default ${DEFAULT-VALUE}).")
    String promotedBy;

    @Override
    public Integer call() throws InterruptedException {
        Duration interval = parseDuration(refresh);
        if ((runId == null) == (experiment == null) || experiment != null && !latest) {
            throw new ParameterException(spec.commandLine(), "give either RUN or --experiment NAME --latest");
        }
        Watcher.Settings settings = new Watcher.Settings(view.database, processors.url, interval, view.glyphs(), once, plain,
                screenshotDir, this::promote);
        try (JdbcEngine engine = view.engine()) {
            String run = runId != null ? runId : latestRun(engine, interval);
            return Watcher.watch(engine, run, settings, spec.commandLine().getOut());
        }
    }

    private String latestRun(JdbcEngine engine, Duration interval) throws InterruptedException {
        boolean told = false;
        while (true) {
            Optional<String> run = RunInfo.latest(engine, view.database, experiment);
            if (run.isPresent()) {
                return run.get();
            }
            if (once) {
                throw new IllegalArgumentException("experiment " + experiment + " has no runs in " + view.database + ".runs");
            }
            if (!told) {
                spec.commandLine().getOut().println("Waiting for a run of experiment " + experiment + " ... (Ctrl+C to stop)");
                spec.commandLine().getOut().flush();
                told = true;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    private String promote(String run) {
        RecordMetadata m = cluster.promote(run, "cli:" + promotedBy);
        return m.topic() + " partition " + m.partition() + " offset " + m.offset();
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}; a bare number is milliseconds. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--refresh: not a duration: '" + text + "' (use 500ms, 2s or 1m)");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofMillis(n);
        };
        if (d.toMillis() < 100) {
            throw new IllegalArgumentException("--refresh must be at least 100ms, got " + text);
        }
        return d;
    }
}
