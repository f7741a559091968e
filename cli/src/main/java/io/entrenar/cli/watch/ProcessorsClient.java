package io.entrenar.cli.watch;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Reads the processors' query server ({@code /runs/{run}/stats}, {@code /runs/{run}/history}). */
final class ProcessorsClient implements AutoCloseable {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ProcessorsClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** Whole-run statistics by metric name, as the server's JSON objects. */
    Map<String, JsonNode> stats(String runId) throws IOException, InterruptedException {
        JsonNode metrics = get("/runs/" + encode(runId) + "/stats").path("metrics");
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** The last {@code n} values of a metric (NaN and infinities included). */
    List<Double> history(String runId, String metric, int n) throws IOException, InterruptedException {
        JsonNode values = get("/runs/" + encode(runId) + "/history?metric=" + encode(metric) + "&n=" + n).path("values");
        List<Double> out = new ArrayList<>(values.size());
        values.forEach(v -> out.add(number(v)));
        return out;
    }

    /** The server writes NaN and infinities as strings. */
    static double number(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return Double.NaN;
        }
        return v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(3)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(baseUrl + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        http.close();
    }
}
