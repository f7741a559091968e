package io.entrenar.sink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrenar.sink.EngineExtension;
import io.entrenar.sink.engine.ChdbEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runaway reads against the real engine: each is cut off with ClickHouse's error, and the endpoint keeps answering. */
@ExtendWith(EngineExtension.class)
class ReaderLimitsTest {

    private static final String RUNAWAY = "SELECT count() FROM numbers(1e13) WHERE sipHash64(number) = 1";
    private static ClickHouseHttpServer endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(ChdbEngine engine) {
        endpoint = ClickHouseHttpServer.start(new ClickHouseHttpConfig(Map.of(
                ClickHouseHttpConfig.PORT_CONFIG, 0,
                ClickHouseHttpConfig.MAX_EXECUTION_TIME_CONFIG, 1500,
                ClickHouseHttpConfig.MAX_MEMORY_CONFIG, 64L << 20,
                ClickHouseHttpConfig.MAX_RESULT_ROWS_CONFIG, 1000,
                ClickHouseHttpConfig.MAX_OUTPUT_BYTES_CONFIG, 100_000,
                ClickHouseHttpConfig.MAX_CONCURRENT_CONFIG, 2,
                ClickHouseHttpConfig.QUEUE_WAIT_CONFIG, 5000)), engine);
    }

    @AfterAll
    static void stop() {
        endpoint.close();
    }

    private HttpResponse<String> post(String sql) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> r) {
        return r.headers().firstValue("X-ClickHouse-Exception-Code").orElse("none: " + r.body());
    }

    @Test
    void aRunawayQueryIsCutOffAndTheNextOneIsAnswered() throws Exception {
        CompletableFuture<HttpResponse<String>> runaway = CompletableFuture.supplyAsync(() -> {
            try {
                return post(RUNAWAY);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        long t0 = System.nanoTime();
        HttpResponse<String> next = post("SELECT 42");
        double waitedS = (System.nanoTime() - t0) / 1e9;
        assertEquals("42\n", next.body());
        assertTrue(waitedS < 5, "the next query waited " + waitedS + " s behind a runaway cut off at 1.5 s");
        HttpResponse<String> cut = runaway.get();
        assertEquals("159", code(cut));
        assertTrue(cut.body().startsWith("Code: 159. DB::Exception: Timeout exceeded"), cut.body());
    }

    @Test
    void limitsOnRowsMemoryAndAnswerSize() throws Exception {
        HttpResponse<String> rows = post("SELECT number FROM numbers(5000)");
        assertEquals("396", code(rows));
        HttpResponse<String> memory = post("SELECT groupArray(number) FROM numbers(2e7)");
        assertEquals("241", code(memory));
        HttpResponse<String> answer = post("SELECT repeat('x', 1000) FROM numbers(500) FORMAT JSONEachRow");
        assertEquals("396", code(answer));
        assertTrue(answer.body().contains("passed 100000 bytes"), answer.body());
        assertEquals("999\n", post("SELECT max(number) FROM numbers(1000)").body());
    }

    @Test
    void queriesBeyondTheAdmittedNumberAreRefusedAtOnce() throws Exception {
        CompletableFuture<?>[] running = new CompletableFuture<?>[2];
        for (int i = 0; i < running.length; i++) {
            running[i] = CompletableFuture.runAsync(() -> {
                try {
                    post(RUNAWAY);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        Thread.sleep(400);
        long t0 = System.nanoTime();
        HttpResponse<String> third = post("SELECT 1");
        double s = (System.nanoTime() - t0) / 1e9;
        CompletableFuture.allOf(running).get();
        assertEquals("202", code(third));
        assertTrue(s < 1, "refused after " + s + " s");
        assertEquals("1\n", post("SELECT 1").body());
    }
}
