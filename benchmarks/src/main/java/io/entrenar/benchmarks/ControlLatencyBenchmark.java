package io.entrenar.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrenar.control.ControlPublisher;
import io.entrenar.control.ControlKeys;
import io.entrenar.events.ControlAction;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.stack.EmbeddedStack;
import io.entrenar.stack.StackConfig;
import io.entrenar.trainer.TrainProcess;
import io.entrenar.trainer.config.ConfigLoader;

/**
 * Command issued -> training loop obeyed, on a real tracked training JVM (an MLP paced at 20 ms per
 * step, as {@code entrenar train --track} runs it) against the embedded broker and registry: the
 * time from {@link ControlPublisher#publish} (what {@code entrenar runs pause|resume|stop} and Andon
 * call) to the loop's own "paused", "resumed" or "run_stopped" event, timestamped by the job. PAUSE and
 * RESUME are measured alternately on one job after 5 warm-up cycles; STOP once per job on several
 * jobs, each after its first epoch (a job in its first second competes with its own JVM start-up).
 *
 * <pre>scripts/run-benchmark ControlLatencyBenchmark [pause-resume-cycles=100] [stop-jobs=10]</pre>
 */
public final class ControlLatencyBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB = """
            model: {arch: mlp, hidden: [32]}
            data: {source: digits}
            training: {epochs: 1000, pace_ms: 20, output_dir: runs}
            seed: 5
            """;

    private ControlLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int stopJobs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dir = Files.createTempDirectory("entrenar-bench-control");
        try (EmbeddedStack stack = EmbeddedStack.start(new StackConfig(Map.of(StackConfig.DATA_DIR_CONFIG, dir.toString(),
                     StackConfig.KAFKA_PORT_CONFIG, 0, StackConfig.REGISTRY_PORT_CONFIG, 0)));
             SchemaRegistryClient registry = CachedSchemaRegistryClient.fromConfigs(Map.of("schema.registry.url", stack.registryUrl()))) {
            ControlKeys keys = ControlKeys.loadOrCreate(dir.resolve("control.keys"));
            try (ControlPublisher control = new ControlPublisher(stack.clients("entrenar-bench"), Map.of("acks", "all", "linger.ms", 0),
                    registry, keys)) {
                int warmup = 5;
                long[] pause = new long[cycles];
                long[] resume = new long[cycles];
                Job job = Job.start(dir, "pause-resume", stack, keys);
                String runId = job.next("run_started").get("run_id").asText();
                for (int i = -warmup; i < cycles; i++) {
                    long paused = job.latency(() -> control.publish(runId, ControlAction.PAUSE, "bench", "bench", null), "paused");
                    Thread.sleep(50);
                    long resumed = job.latency(() -> control.publish(runId, ControlAction.RESUME, "bench", "bench", null), "resumed");
                    Thread.sleep(50);
                    if (i >= 0) {
                        pause[i] = paused;
                        resume[i] = resumed;
                        progress("pause/resume", i + 1, cycles);
                    }
                }
                control.publish(runId, ControlAction.STOP, "bench done", "bench", null);
                job.exit.join();
                long[] stop = new long[stopJobs];
                for (int i = 0; i < stopJobs; i++) {
                    Job j = Job.start(dir, "stop-" + i, stack, keys);
                    String id = j.next("epoch").get("run_id").asText();
                    stop[i] = j.latency(() -> control.publish(id, ControlAction.STOP, "bench", "bench", null), "run_stopped");
                    j.exit.join();
                    progress("stop", i + 1, stopJobs);
                }
                System.err.println();
                print("PAUSE  -> loop paused ", pause);
                print("RESUME -> loop resumed", resume);
                print("STOP   -> run stopped ", stop);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void progress(String what, int done, int total) {
        System.err.printf("\r%s %d/%d", what, done, total);
    }

    private static void print(String what, long[] micros) {
        long[] s = micros.clone();
        Arrays.sort(s);
        System.out.printf("%s (%d commands): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, s.length,
                q(s, 0.50), q(s, 0.90), q(s, 0.99), s[s.length - 1] / 1e3);
    }

    private static double q(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e3;
    }

    /** A training JVM and the tail of its events file. */
    private record Job(Path events, CompletableFuture<Integer> exit, StringWriter output, StringBuilder pending, long[] position) {
        /** A command not obeyed within this is a lost command: the benchmark stops and shows the job's output. */
        private static final long GIVE_UP_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(15);

        static Job start(Path dir, String name, EmbeddedStack stack, ControlKeys keys) throws IOException {
            Path config = Files.writeString(dir.resolve(name + ".yaml"), JOB);
            Path events = dir.resolve(name + ".jsonl");
            TrainProcess process = new TrainProcess(ConfigLoader.load(config, Map.of()), config, events, false, List.of(),
                    new TrainProcess.Tracking(stack.bootstrapServers(), stack.registryUrl(), "control-bench", dir.resolve("spool"),
                            keys.file()));
            StringWriter output = new StringWriter();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return process.run(new PrintWriter(output, true), new PrintWriter(output, true));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            return new Job(events, exit, output, new StringBuilder(), new long[1]);
        }

        /** Issues the command and returns microseconds until the job wrote {@code event}. */
        long latency(Command command, String event) throws Exception {
            long issued = nowMicros();
            command.send();
            return next(event).get("ts_micros").asLong() - issued;
        }

        /** The next event of this kind the job writes (lifecycle and control events are flushed as they happen). */
        JsonNode next(String event) throws Exception {
            long deadline = System.nanoTime() + GIVE_UP_NANOS;
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no " + event + " within 15 s; the job's output:\n" + output);
                }
                for (JsonNode e : newLines()) {
                    if (e.get("event").asText().equals(event)) {
                        return e;
                    }
                }
                if (exit.isDone()) {
                    throw new IllegalStateException("the job ended (" + exit.get() + ") before writing " + event + ":\n" + output);
                }
                Thread.sleep(1);
            }
        }

        private List<JsonNode> newLines() throws IOException {
            List<JsonNode> out = new ArrayList<>();
            if (!Files.exists(events)) {
                return out;
            }
            try (RandomAccessFile f = new RandomAccessFile(events.toFile(), "r")) {
                if (f.length() > position[0]) {
                    byte[] b = new byte[(int) (f.length() - position[0])];
                    f.seek(position[0]);
                    f.readFully(b);
                    position[0] += b.length;
                    pending.append(new String(b, StandardCharsets.UTF_8));
                }
            }
            int nl;
            while ((nl = pending.indexOf("\n")) >= 0) {
                out.add(JSON.readTree(pending.substring(0, nl)));
                pending.delete(0, nl + 1);
            }
            return out;
        }
    }

    private interface Command {
        void send() throws Exception;
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
