package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.entrenar.control.ControlKeys;
import io.entrenar.stack.SaslStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The commands that connect to the cluster themselves ({@code topics}, {@code runs pause}) reach a
 * broker listener that requires SASL/PLAIN with the security keys of {@code --client-config FILE},
 * and are refused with a wrong password.
 */
class ClientSecurityOptionTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final SaslStack stack = SaslStack.http();

    /** A client config file with the SASL keys for {@code password}. */
    private static Path clientConfig(String password) throws IOException {
        Path file = dir.resolve("client-" + password + ".properties");
        Files.writeString(file, SaslStack.sasl(password).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        return file;
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = Entrenar.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void topicsAndControlCommandsConnectWithTheClientConfigAndAreRefusedWithAWrongPassword() throws IOException {
        Path keys = ControlKeys.loadOrCreate(dir.resolve("control.keys")).file();
        for (String password : List.of(stack.secret(), "wrong-password")) {
            boolean right = password.equals(stack.secret());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int topics = run(out, err, "topics", "--bootstrap-servers", stack.saslBootstrapServers(), "--partitions", "1",
                    "--client-config", clientConfig(password).toString());
            assertEquals(right ? 0 : 1, topics, out + "\n" + err);
            assertTrue(right ? out.toString().contains("entrenar.metrics.v1") : err.toString().contains("Authentication failed"),
                    out + "\n" + err);

            List<String> pause = new ArrayList<>(List.of("runs", "pause", "run-secure", "--bootstrap-servers", stack.saslBootstrapServers(),
                    "--registry-url", stack.registryUrl(), "--control-keys", keys.toString(), "--client-config",
                    clientConfig(password).toString()));
            out = new StringWriter();
            err = new StringWriter();
            int sent = run(out, err, pause.toArray(String[]::new));
            assertEquals(right ? 0 : 1, sent, out + "\n" + err);
            assertTrue(right ? out.toString().startsWith("PAUSE sent to run run-secure") : err.toString().contains("Authentication failed"),
                    out + "\n" + err);
        }
    }

    @Test
    void aSaslProtocolWithoutALoginIsAConfigurationErrorNamingTheFile() throws IOException {
        Path file = dir.resolve("no-login.properties");
        Files.writeString(file, "security.protocol=SASL_PLAINTEXT\n");
        StringWriter err = new StringWriter();
        int code = run(new StringWriter(), err, "topics", "--bootstrap-servers", stack.saslBootstrapServers(),
                "--client-config", file.toString());
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("sasl.jaas.config"), err.toString());
    }
}
