package io.entrenar.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.sun.tools.attach.VirtualMachine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entrenar attach PID}: loads the producer agent into a running JVM (its agentmain). */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = "Attaches the entrenar agent to a running JVM: it opens a run named after the main class and streams "
                + "resource samples, JFR syscall/IO aggregates and spans until the JVM exits.")
final class AttachCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PID", description = "Process id of the training JVM.")
    String pid;

    @Option(names = "--agent-jar", paramLabel = "JAR",
            description = "The shaded agent jar (default: $ENTRENAR_AGENT_JAR, else producer-agent/target/producer-agent.jar beside the CLI).")
    Path agentJar;

    @Option(names = "--options", paramLabel = "K=V,...",
            description = "Agent settings, e.g. bootstrap.servers=host:9092,schema.registry.url=http://host:8081,agent.experiment=digits")
    String options = "";

    @Override
    public Integer call() throws Exception {
        Path jar = AgentJar.locate(agentJar);
        if (!pid.matches("\\d+")) {
            throw new IllegalArgumentException("PID must be a number, got '" + pid + "'");
        }
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            vm.loadAgent(jar.toAbsolutePath().toString(), options);
        } finally {
            vm.detach();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("attached the entrenar agent to %s; its run id is printed on that process's stderr%n", pid);
        return 0;
    }
}
