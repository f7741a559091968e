package io.entrenar.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import com.sun.tools.attach.VirtualMachine;
import io.entrenar.events.ResourceSample;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunStatus;
import io.entrenar.events.Span;
import io.entrenar.events.SyscallAggregate;
import io.entrenar.events.SyscallCategory;
import io.entrenar.schemas.Topic;
import io.entrenar.tracking.TestStackAccess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Tribuo training program, unchanged, run under the agent: once with -javaagent, once
 * attached by PID. Each must produce a run (started and finished), spans, syscall aggregates and
 * resource samples on the real broker.
 */
@ExtendWith(io.entrenar.stack.SharedStack.class)
class AgentTest {
    @TempDir
    static Path dir;
    static Path agentJar;

    /**
     * The packaged agent jar only exists after `package`; tests build a manifest-only jar naming
     * the same entry points, the classes coming from the test classpath of the child JVM.
     */
    @BeforeAll
    static void agentJar() throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Premain-Class", EntrenarAgent.class.getName());
        m.getMainAttributes().putValue("Agent-Class", EntrenarAgent.class.getName());
        agentJar = dir.resolve("agent.jar");
        try (OutputStream out = Files.newOutputStream(agentJar); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
    }

    private String options(String spoolName) {
        return "bootstrap.servers=" + TestStackAccess.bootstrap() + ",schema.registry.url=" + TestStackAccess.registry()
                + ",spool.dir=" + dir.resolve(spoolName) + ",agent.interval.ms=200,agent.jfr.io.threshold.ms=0,agent.experiment=agent-test";
    }

    @Test
    void javaagentTracksAnUnchangedTribuoTraining() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-javaagent:" + agentJar + "=" + options("spool-premain"),
                "-cp", System.getProperty("java.class.path"), TribuoTraining.class.getName(), dir.resolve("premain").toString(), "25")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        Files.writeString(Path.of("target", "agent-premain-child.log"), output);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        String runId = runIdFrom(output);
        assertTracked(runId, "premain");
    }

    /** A mistake in the agent's settings leaves the program running, untracked, with the mistake on stderr. */
    @Test
    void aBadAgentConfigLeavesTheProgramRunningUntracked() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-javaagent:" + agentJar + "=" + options("spool-bad") + ",ring.capacity=1000",
                "-cp", System.getProperty("java.class.path"), Untracked.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("entrenar agent: invalid configuration, the program runs untracked: agent argument: "
                + "Invalid value 1000 for configuration ring.capacity: must be a power of two"), output);
        assertTrue(output.contains("the program ran"), output);
        assertTrue(!output.contains("entrenar agent: tracking run"), output);
    }

    /** The program of {@link #aBadAgentConfigLeavesTheProgramRunningUntracked}: waits for the agent's verdict, then ends. */
    public static final class Untracked {
        public static void main(String[] args) throws InterruptedException {
            // the agent resolves its settings on its own thread; give it time to speak before exiting
            for (int i = 0; i < 100 && System.getProperty(io.entrenar.tracking.RunBuilder.JVM_RUN_PROPERTY) != null; i++) {
                Thread.sleep(50);
            }
            System.out.println("the program ran");
        }
    }

    @Test
    void attachingByPidTracksARunningTraining() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path go = dir.resolve("go");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), TribuoTraining.class.getName(),
                dir.resolve("attach").toString(), "25", go.toString()).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String ready = r.readLine();
        assertTrue(ready != null && ready.startsWith("READY "), ready);
        VirtualMachine vm = VirtualMachine.attach(ready.substring(6).strip());
        try {
            vm.loadAgent(agentJar.toString(), options("spool-attach"));
        } finally {
            vm.detach();
        }
        StringBuilder output = new StringBuilder();
        String line;
        // the agent prints its run id on stderr (merged) once the session is up; then let training start
        while ((line = r.readLine()) != null) {
            output.append(line).append('\n');
            if (line.contains("tracking run")) {
                break;
            }
        }
        Files.createFile(go);
        while ((line = r.readLine()) != null) {
            output.append(line).append('\n');
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output.toString());
        assertTracked(runIdFrom(output.toString()), "attached");
    }

    private static String runIdFrom(String output) {
        for (String l : output.split("\n")) {
            int i = l.indexOf("tracking run ");
            if (i >= 0) {
                return l.substring(i + 13).split(" ")[0];
            }
        }
        throw new AssertionError("no run id in the program's output:\n" + output);
    }

    private static void assertTracked(String runId, String mode) {
        String bootstrap = TestStackAccess.bootstrap();
        String registry = TestStackAccess.registry();
        List<ConsumerRecord<String, RunEvent>> runs = TestStackAccess.read(Topic.RUNS, Set.of(runId),
                got -> got.stream().anyMatch(x -> x.value().getPayload() instanceof RunFinished), Duration.ofSeconds(30));
        RunStarted started = runs.stream().map(x -> x.value().getPayload()).filter(x -> x instanceof RunStarted)
                .map(x -> (RunStarted) x).findFirst().orElseThrow(() -> new AssertionError("no RunStarted for " + runId));
        assertEquals("agent-test", started.getExperimentName());
        assertEquals("TribuoTraining", started.getRunName(), "the main class, never the arguments");
        assertTrue(started.getSource().getCommandLine().startsWith(TribuoTraining.class.getName() + " "),
                "the command line is kept with the source: " + started.getSource().getCommandLine());
        assertEquals(TribuoTraining.class.getName(), started.getSource().getMainClass());
        assertEquals(mode, started.getTags().get("entrenar.agent"));
        assertTrue(started.getDevice().getCpu().getThreads() > 0);
        RunFinished finished = runs.stream().map(x -> x.value().getPayload()).filter(x -> x instanceof RunFinished)
                .map(x -> (RunFinished) x).findFirst().orElseThrow();
        assertEquals(RunStatus.COMPLETED, finished.getStatus());
        assertTrue(finished.getSummary().get("actual_peak_heap_mb") > 0);

        List<ConsumerRecord<String, Span>> spans = TestStackAccess.read(Topic.SPANS, Set.of(runId), got -> got.size() >= 2,
                Duration.ofSeconds(30));
        Span root = spans.stream().map(ConsumerRecord::value).filter(s -> s.getParentSpanId() == null).findFirst().orElseThrow();
        Span jvm = spans.stream().map(ConsumerRecord::value).filter(s -> s.getName().startsWith("jvm ")).findFirst().orElseThrow();
        assertEquals(root.getTraceId(), jvm.getTraceId());
        assertEquals(root.getSpanId(), jvm.getParentSpanId());

        List<ConsumerRecord<String, SyscallAggregate>> sys = TestStackAccess.read(Topic.SYSCALLS, Set.of(runId),
                got -> got.stream().anyMatch(x -> x.value().getEntries().stream().anyMatch(e -> e.getCategory() == SyscallCategory.FILE_IO
                        && e.getTarget() != null && e.getTarget().endsWith("train.csv"))), Duration.ofSeconds(15));
        String seen = sys.stream().flatMap(x -> x.value().getEntries().stream())
                .map(e -> e.getCategory() + "/" + e.getOperation() + "/" + e.getTarget()).distinct().toList().toString();
        assertTrue(sys.stream().anyMatch(x -> x.value().getEntries().stream().anyMatch(e -> e.getCategory() == SyscallCategory.FILE_IO
                && e.getTarget() != null && e.getTarget().endsWith("train.csv") && e.getBytes() > 0)),
                "JFR file IO on the training data; seen: " + seen);
        assertTrue(sys.stream().anyMatch(x -> x.value().getEntries().stream().anyMatch(e -> e.getCategory() == SyscallCategory.GC
                || e.getCategory() == SyscallCategory.ALLOCATION)), "GC or allocation samples");

        List<ConsumerRecord<String, ResourceSample>> res = TestStackAccess.read(Topic.RESOURCES, Set.of(runId), got -> got.size() >= 2,
                Duration.ofSeconds(30));
        assertTrue(res.size() >= 2);
        assertTrue(res.stream().allMatch(x -> x.value().getHeapUsedBytes() > 0 && x.value().getThreadCount() > 0));
        System.out.printf("agent (%s): run %s: %d run events, %d spans, %d syscall aggregates, %d resource samples%n",
                mode, runId, runs.size(), spans.size(), sys.size(), res.size());
    }
}
