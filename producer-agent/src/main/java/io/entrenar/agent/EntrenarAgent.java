package io.entrenar.agent;

import java.lang.instrument.Instrumentation;
import java.util.UUID;

import io.entrenar.tracking.RunBuilder;

/**
 * The {@code -javaagent} entry points: {@code premain} at JVM start, {@code agentmain} when attached
 * to a running JVM ({@code entrenar attach PID}). The session starts on its own thread so the
 * program's start is not delayed; a shutdown hook finishes the run and flushes at exit. Nothing here
 * throws into the program: a bad configuration is reported on stderr and the program runs untracked.
 */
public final class EntrenarAgent {
    private EntrenarAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        start(args, false);
    }

    public static void agentmain(String args, Instrumentation instrumentation) {
        start(args, true);
    }

    private static synchronized void start(String args, boolean attached) {
        String running = System.getProperty(RunBuilder.JVM_RUN_PROPERTY);
        if (running != null) {
            System.err.println("entrenar agent: already running in this JVM (run " + running + "); ignoring");
            return;
        }
        // Announced before the program's main runs (premain), so that every run the program starts with
        // the tracking API is tagged with this JVM's run, even while the session is still starting.
        String jvmRunId = UUID.randomUUID().toString();
        System.setProperty(RunBuilder.JVM_RUN_PROPERTY, jvmRunId);
        Thread starter = new Thread(() -> {
            // Resolved here, not in premain: it loads the config classes through the whole class path,
            // which held the program's main() back by about 0.4 s in the overhead benchmark.
            AgentConfig config;
            try {
                config = AgentConfig.resolve(args, System.getenv());
            } catch (RuntimeException e) {
                System.clearProperty(RunBuilder.JVM_RUN_PROPERTY);
                System.err.println("entrenar agent: invalid configuration, the program runs untracked: " + e.getMessage());
                return;
            }
            try {
                AgentSession s = AgentSession.start(config, attached, jvmRunId);
                Runtime.getRuntime().addShutdownHook(new Thread(s::close, "entrenar-agent-shutdown"));
                System.err.println("entrenar agent: tracking run " + s.run().id() + " (" + s.run().name() + ")");
            } catch (RuntimeException e) {
                System.clearProperty(RunBuilder.JVM_RUN_PROPERTY);
                System.err.println("entrenar agent: cannot start, the program runs untracked: " + e);
            }
        }, "entrenar-agent-start");
        starter.setDaemon(true);
        starter.start();
    }
}
