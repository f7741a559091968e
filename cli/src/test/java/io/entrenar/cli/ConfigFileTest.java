package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.entrenar.config.ConfigFile;
import io.entrenar.stack.StackConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void fileThenEnvironmentThenOptions() throws IOException {
        Path file = write("# embedded stack\ndata.dir = /var/lib/entrenar\nkafka.port=19092\nregistry.port: 18081\n"
                + "topics.entrenar.metrics.v1.partitions=12\n");
        StackCommand command = parse("--config", file.toString(), "--registry-port", "28081");
        var pipeline = command.config(Map.of("ENTRENAR_KAFKA_PORT", "29092", "ENTRENAR_HOST", "0.0.0.0",
                "ENTRENAR_TOPICS_ENTRENAR_ALERTS_V1_PARTITIONS", "3",
                // beyond loopback the ClickHouse endpoint needs credentials (see the next test)
                "ENTRENAR_SINK_HTTP_USER", "analyst", "ENTRENAR_SINK_HTTP_PASSWORD", "s3cret",
                // and so does the MLflow API
                "ENTRENAR_MLFLOW_AUTH_TOKEN", "tok-1"));
        StackConfig config = pipeline.stack();
        assertEquals(3, config.topics().settings(io.entrenar.schemas.Topic.ALERTS).partitions(), "a prefixed key from the environment");
        assertEquals(Path.of("/var/lib/entrenar"), config.dataDir());
        assertEquals(29092, config.kafkaPort(), "environment beats the file");
        assertEquals(28081, config.registryPort(), "options beat the file");
        assertEquals("0.0.0.0", config.host());
        assertEquals(12, config.topics().settings(io.entrenar.schemas.Topic.METRICS).partitions());
    }

    @Test
    void aStackOnEveryInterfaceWithoutAClickHousePasswordDoesNotStart() throws IOException {
        Path file = write("data.dir=/tmp/x\n");
        var e = assertThrows(ConfigFile.InvalidConfigException.class,
                () -> parse("--config", file.toString()).config(Map.of("ENTRENAR_HOST", "0.0.0.0")));
        assertTrue(e.getMessage().contains("http.host: listens beyond this machine's loopback: set http.user and http.password"),
                e.getMessage());
    }

    @Test
    void aStackOnEveryInterfaceWithoutMlflowCredentialsDoesNotStart() throws IOException {
        Path file = write("data.dir=/tmp/x\n");
        var e = assertThrows(ConfigFile.InvalidConfigException.class, () -> parse("--config", file.toString()).config(Map.of(
                "ENTRENAR_HOST", "0.0.0.0", "ENTRENAR_SINK_HTTP_USER", "analyst", "ENTRENAR_SINK_HTTP_PASSWORD", "s3cret")));
        assertTrue(e.getMessage().contains("mlflow.auth.token"), e.getMessage());
        parse("--config", file.toString()).config(Map.of("ENTRENAR_HOST", "0.0.0.0", "ENTRENAR_SINK_HTTP_USER", "analyst",
                "ENTRENAR_SINK_HTTP_PASSWORD", "s3cret", "ENTRENAR_MLFLOW_ENABLED", "false"));
    }

    @Test
    void anUnknownKeyIsNamedWithItsLineAndASuggestion() throws IOException {
        Path file = write("kafka.port=9092\n\nregistry.prot=8081\n");
        var e = assertThrows(ConfigFile.InvalidConfigException.class,
                () -> parse("--config", file.toString()).config(Map.of()));
        assertEquals(file + ":3: unknown key registry.prot (did you mean registry.port?)", e.getMessage());
    }

    @Test
    void anInvalidValueIsNamedWithItsLine() throws IOException {
        Path file = write("data.dir=/tmp/x\nkafka.port=ninety\n");
        var e = assertThrows(ConfigFile.InvalidConfigException.class,
                () -> parse("--config", file.toString()).config(Map.of()));
        assertTrue(e.getMessage().startsWith(file + ":2: "), e.getMessage());
        assertTrue(e.getMessage().contains("kafka.port"), e.getMessage());
    }

    @Test
    void crossFieldRulesAreCheckedBeforeAnythingStarts() throws IOException {
        Path file = write("kafka.port=9000\nregistry.port=9000\n");
        var e = assertThrows(ConfigFile.InvalidConfigException.class,
                () -> parse("--config", file.toString()).config(Map.of()));
        assertTrue(e.getMessage().startsWith(file + ":2: "), e.getMessage());
        assertTrue(e.getMessage().contains("must differ from kafka.port"), e.getMessage());
    }

    @Test
    void anEnvironmentMistakeNamesTheVariable() {
        var e = assertThrows(ConfigFile.InvalidConfigException.class,
                () -> parse().config(Map.of("ENTRENAR_REGISTRY_COMPATIBILITY_LEVEL", "SOMETIMES")));
        assertTrue(e.getMessage().startsWith("environment variable ENTRENAR_REGISTRY_COMPATIBILITY_LEVEL: "), e.getMessage());
    }

    @Test
    void malformedLinesAndDuplicatesAreRefused() throws IOException {
        var noSeparator = assertThrows(ConfigFile.InvalidConfigException.class, () -> ConfigFile.load(write("kafka.port\n")));
        assertTrue(noSeparator.getMessage().endsWith(":1: expected key=value, found 'kafka.port'"), noSeparator.getMessage());
        var duplicate = assertThrows(ConfigFile.InvalidConfigException.class,
                () -> ConfigFile.load(write("kafka.port=1\nkafka.port=2\n")));
        assertTrue(duplicate.getMessage().endsWith(":2: kafka.port is already set on line 1"), duplicate.getMessage());
    }

    @Test
    void theCommandReportsConfigErrorsWithExitCode2() throws IOException {
        Path file = write("kafka.port=-5\n");
        CommandLine cli = Entrenar.commandLine();
        var err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        int code = cli.execute("stack", "--config", file.toString());
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("entrenar: invalid configuration: " + file + ":1: "), err.toString());
    }

    private StackCommand parse(String... args) {
        StackCommand command = new StackCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "stack", ".properties");
        Files.writeString(file, text);
        return file;
    }
}
