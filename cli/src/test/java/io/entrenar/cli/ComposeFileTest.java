package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production compose stack (compose/): Debian's docker-compose accepts the file (no engine is
 * needed for {@code config}), and every Entrenar service's command, with its mounted config files,
 * passes the app's own {@code --check} before anything would start.
 */
class ComposeFileTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path COMPOSE = ROOT.resolve("compose/docker-compose.yml");

    @Test
    void dockerComposeValidatesTheFile() throws Exception {
        ProcessBuilder withoutSecret = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config", "-q")
                .redirectErrorStream(true);
        withoutSecret.environment().remove("ONCALL_WEBHOOK_SECRET");
        Process p = withoutSecret.start();
        ProcessBuilder q = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config", "-q")
                .redirectErrorStream(true);
        q.environment().put("ONCALL_WEBHOOK_SECRET", "test-secret");
        Process check = q.start();
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), "docker-compose config: " + out);
        // Without the webhook secret the stack must refuse to start rather than send unsigned alerts.
        String missing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor() != 0 && missing.contains("ONCALL_WEBHOOK_SECRET"), missing);
    }

    @Test
    void everyEntrenarServicePassesItsConfigCheck(@TempDir Path dir) throws Exception {
        // docker-compose's own rendering, with anchors, merge keys and variables resolved.
        ProcessBuilder render = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config");
        render.environment().put("ONCALL_WEBHOOK_SECRET", "test-secret");
        Process rendering = render.start();
        byte[] rendered = rendering.getInputStream().readAllBytes();
        assertEquals(0, rendering.waitFor());
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(rendered);
        // Config files refer to each other by their mount path: rewrite that to a local copy.
        Path config = Files.createDirectories(dir.resolve("config"));
        try (Stream<Path> files = Files.list(ROOT.resolve("compose/config"))) {
            for (Path f : files.toList()) {
                Files.writeString(config.resolve(f.getFileName()), Files.readString(f).replace("/etc/entrenar/", config + "/"));
            }
        }
        List<String> checked = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = compose.get("services").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> service = it.next();
            JsonNode command = service.getValue().get("command");
            if (command == null || !service.getValue().path("image").asText().startsWith("entrenar:")) {
                continue;
            }
            List<String> args = new ArrayList<>();
            command.forEach(a -> args.add(a.asText().replace("/etc/entrenar/", config + "/")));
            if (!args.contains("--config")) {
                continue; // e.g. the one-shot topics job: nothing to validate offline
            }
            args.add("--check");
            run(service.getKey(), args);
            checked.add(service.getKey());
        }
        assertTrue(checked.containsAll(List.of("processors", "alerting", "dashboard", "mlflow-api")), "checked " + checked);
    }

    private static void run(String service, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Entrenar.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The environment the compose file gives every Entrenar service.
        builder.environment().putAll(Map.of("ENTRENAR_BOOTSTRAP_SERVERS", "kafka:9092",
                "ENTRENAR_SCHEMA_REGISTRY_URL", "http://schema-registry:8081", "ENTRENAR_OPS_HOST", "0.0.0.0",
                "ENTRENAR_OPS_PORT", "9400", "ENTRENAR_JDBC_PASSWORD", "secret", "ONCALL_WEBHOOK_SECRET", "secret",
                // what MLFLOW_TRACKING_TOKEN becomes for the mlflow-api service (on every interface it needs one)
                "ENTRENAR_AUTH_TOKEN", "secret"));
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), service + " " + args + ":\n" + out);
    }
}
