package io.entrenar.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shaded {@code -javaagent} jar is: {@code $ENTRENAR_AGENT_JAR}, else beside the CLI in the build tree. */
final class AgentJar {
    private AgentJar() {
    }

    /** The agent jar ({@code override} when given); fails with what to do when it is not there. */
    static Path locate(Path override) {
        Path jar = override != null ? override : defaultJar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("agent jar not found: " + jar + " (build it with mvn -pl producer-agent -am package, "
                    + "or pass --agent-jar)");
        }
        return jar.toAbsolutePath();
    }

    private static Path defaultJar() {
        String env = System.getenv("ENTRENAR_AGENT_JAR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        try {
            Path cliJar = Path.of(AgentJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // cli/target/entrenar-cli.jar (or cli/target/classes) -> <root>/producer-agent/target/producer-agent.jar
            return cliJar.getParent().getParent().getParent().resolve("producer-agent").resolve("target").resolve("producer-agent.jar");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the CLI was loaded from", e);
        }
    }
}
