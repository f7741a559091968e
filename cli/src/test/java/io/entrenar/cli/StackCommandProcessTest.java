package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code entrenar stack} as a user runs it: a separate JVM, stopped with Ctrl+C (SIGINT), restarted on its data. */
class StackCommandProcessTest {
    private static final Pattern REGISTRY = Pattern.compile("Schema registry\\s+: (http://\\S+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void startsPrintsAddressesStopsOnCtrlCAndKeepsDataAcrossRestarts(@TempDir Path dataDir) throws Exception {
        String schema = "{\"schema\": \"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Probe\\\",\\\"fields\\\":[]}\"}";
        int id;
        try (Running first = Running.start(dataDir)) {
            assertTrue(first.output.stream().anyMatch(l -> l.matches("\\s+entrenar\\.metrics\\.v1\\s+created\\s+6 partitions")), first.output.toString());
            id = Integer.parseInt(post(first.registryUrl + "/subjects/probe-value/versions", schema).replaceAll("\\D", ""));
            List<String> tail = first.stop();
            assertEquals(List.of("Stopping the embedded stack ...", "Stopped."), tail.subList(tail.size() - 2, tail.size()));
            assertEquals(130, first.process.exitValue(), "exit status of a JVM stopped by SIGINT");
        }
        try (Running second = Running.start(dataDir)) {
            assertTrue(second.output.stream().anyMatch(l -> l.matches("\\s+entrenar\\.metrics\\.v1\\s+unchanged\\s+6 partitions")), second.output.toString());
            String lookup = post(second.registryUrl + "/subjects/probe-value", schema);
            assertTrue(lookup.contains("\"id\":" + id), "the schema keeps its id across restarts: " + lookup);
            second.stop();
        }
    }

    private static String post(String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static final class Running implements AutoCloseable {
        final Process process;
        final BufferedReader stdout;
        final List<String> output = new ArrayList<>();
        String registryUrl;

        private Running(Process process) {
            this.process = process;
            this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Running start(Path dataDir) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), Entrenar.class.getName(),
                    "stack", "--data-dir", dataDir.toString(), "--kafka-port", "0", "--registry-port", "0")
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("ENTRENAR_WEBHOOK_RECEIVER_PORT", "0");
            builder.environment().put("ENTRENAR_OPS_PORT", "0");
            builder.environment().put("ENTRENAR_PROCESSORS_HTTP_PORT", "0");
            builder.environment().put("ENTRENAR_SINK_HTTP_PORT", "0");
            Process p = builder.start();
            Running r = new Running(p);
            r.readUntil("Press Ctrl+C to stop.");
            return r;
        }

        List<String> stop() throws IOException, InterruptedException {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            int from = output.size();
            readUntil("Stopped.");
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the stack stops within 30 s of Ctrl+C");
            return output.subList(from, output.size());
        }

        private void readUntil(String marker) throws IOException {
            String line;
            while ((line = stdout.readLine()) != null) {
                output.add(line);
                Matcher m = REGISTRY.matcher(line);
                if (m.find()) {
                    registryUrl = m.group(1);
                }
                if (line.equals(marker)) {
                    return;
                }
            }
            throw new AssertionError("the process ended before printing '" + marker + "': " + output);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
