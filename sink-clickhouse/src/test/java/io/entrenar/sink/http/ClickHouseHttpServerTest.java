package io.entrenar.sink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.clickhouse.data.stream.Lz4InputStream;
import io.entrenar.sink.EngineExtension;
import io.entrenar.sink.SharedEngine;
import io.entrenar.sink.engine.ChdbEngine;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The endpoint as curl, plain JDBC and other processes see it. */
@ExtendWith(EngineExtension.class)
class ClickHouseHttpServerTest {

    private static final String DB = "http_test";
    private static ClickHouseHttpServer readWrite;
    private static ClickHouseHttpServer readOnly;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(ChdbEngine engine) {
        SharedEngine.database(engine, DB);
        engine.execute("CREATE TABLE " + DB + ".notes (id UInt32, text String) ENGINE = MergeTree ORDER BY id");
        readWrite = ClickHouseHttpServer.start(new ClickHouseHttpConfig(Map.of(
                ClickHouseHttpConfig.PORT_CONFIG, 0, ClickHouseHttpConfig.READ_ONLY_CONFIG, false)), engine);
        readOnly = ClickHouseHttpServer.start(new ClickHouseHttpConfig(Map.of(ClickHouseHttpConfig.PORT_CONFIG, 0)), engine);
    }

    @AfterAll
    static void stop() {
        readWrite.close();
        readOnly.close();
    }

    private HttpResponse<byte[]> post(ClickHouseHttpServer s, String urlQuery, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url() + "/" + (urlQuery == null ? "" : "?" + urlQuery)))
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void pingAndQueriesInUrlOrBody() throws Exception {
        HttpResponse<byte[]> ping = http.send(HttpRequest.newBuilder(URI.create(readOnly.url() + "/ping")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("Ok.\n", text(ping));

        HttpResponse<byte[]> r = post(readOnly, "query=" + q("SELECT 1 + 1 AS two") + "&default_format=JSONEachRow", null, Map.of());
        assertEquals(200, r.statusCode());
        assertEquals("{\"two\":2}\n", text(r));
        assertEquals("JSONEachRow", r.headers().firstValue("X-ClickHouse-Format").orElseThrow());
        assertTrue(r.headers().firstValue("X-ClickHouse-Query-Id").isPresent());
        assertTrue(r.headers().firstValue("X-ClickHouse-Summary").isPresent());

        HttpResponse<byte[]> body = post(readOnly, "param_name=" + q("a\\nb"), "SELECT {name:String} AS n, length(n)",
                Map.of("X-ClickHouse-Format", "TabSeparated"));
        assertEquals("a\\nb\t3\n", text(body), "parameters arrive escaped and bind as the value they stand for");
    }

    @Test
    void errorsAsClickHouseSendsThem() throws Exception {
        HttpResponse<byte[]> r = post(readOnly, null, "SELECT * FROM http_test.missing", Map.of());
        assertEquals(500, r.statusCode());
        assertEquals("60", r.headers().firstValue("X-ClickHouse-Exception-Code").orElseThrow());
        assertTrue(text(r).startsWith("Code: 60. DB::Exception:"), text(r));

        HttpResponse<byte[]> multi = post(readWrite, null, "SELECT 1; DROP DATABASE http_test", Map.of());
        assertEquals("62", multi.headers().firstValue("X-ClickHouse-Exception-Code").orElseThrow());

        HttpResponse<byte[]> write = post(readOnly, null, "DROP DATABASE http_test", Map.of());
        assertEquals("164", write.headers().firstValue("X-ClickHouse-Exception-Code").orElseThrow());
        HttpResponse<byte[]> file = post(readOnly, null, "SELECT * FROM file('/etc/passwd', 'LineAsString')", Map.of());
        assertEquals("497", file.headers().firstValue("X-ClickHouse-Exception-Code").orElseThrow());
        assertEquals("1", text(post(readOnly, null, "SELECT count() FROM system.databases WHERE name = 'http_test'", Map.of())).strip());
    }

    @Test
    void insertDataIsDataEvenWithBlankLinesAndSql() throws Exception {
        String tsv = "1\tx\\n\\nDROP TABLE notes\n2\tplain\n";
        HttpResponse<byte[]> ins = post(readWrite, "query=" + q("INSERT INTO http_test.notes (id, text) FORMAT TabSeparated"),
                tsv, Map.of());
        assertEquals(200, ins.statusCode(), text(ins));
        HttpResponse<byte[]> values = post(readWrite, null,
                "INSERT INTO notes (id, text) VALUES (3, 'y\n\nDROP DATABASE http_test')", Map.of("X-ClickHouse-Database", DB));
        assertEquals(200, values.statusCode(), text(values));
        HttpResponse<byte[]> r = post(readOnly, "database=" + DB, "SELECT id, text FROM notes ORDER BY id FORMAT JSONEachRow", Map.of());
        assertEquals("{\"id\":1,\"text\":\"x\\n\\nDROP TABLE notes\"}\n{\"id\":2,\"text\":\"plain\"}\n"
                + "{\"id\":3,\"text\":\"y\\n\\nDROP DATABASE http_test\"}\n", text(r));
    }

    @Test
    @SuppressWarnings("deprecation")
    void compressedAnswersUseClickHouseBlockFraming() throws Exception {
        HttpResponse<byte[]> r = post(readOnly, "compress=1&query=" + q("SELECT number FROM system.numbers LIMIT 3"), null, Map.of());
        byte[] plain;
        try (Lz4InputStream in = new Lz4InputStream(new ByteArrayInputStream(r.body()))) {
            plain = in.readAllBytes();
        }
        assertEquals("0\n1\n2\n", new String(plain, StandardCharsets.UTF_8));
    }

    @Test
    void plainJdbcWorksAgainstIt() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:clickhouse://127.0.0.1:" + readOnly.port() + "/" + DB, "default", "");
             PreparedStatement ps = c.prepareStatement("SELECT number * 2 AS n, toString(number) AS s FROM system.numbers "
                     + "WHERE number < ? ORDER BY number")) {
            ps.setInt(1, 3);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(0, rs.getLong("n"));
                assertTrue(rs.next());
                assertEquals(2, rs.getLong("n"));
                assertEquals("1", rs.getString("s"));
            }
            SQLException missing = assertThrows(SQLException.class, () -> {
                try (Statement s = c.createStatement()) {
                    s.executeQuery("SELECT * FROM http_test.missing");
                }
            });
            assertEquals("42S02", missing.getSQLState(), missing.getMessage());
        }
    }

    @Test
    void authenticationWhenConfigured(ChdbEngine engine) throws Exception {
        try (ClickHouseHttpServer guarded = ClickHouseHttpServer.start(new ClickHouseHttpConfig(Map.of(
                ClickHouseHttpConfig.PORT_CONFIG, 0, ClickHouseHttpConfig.USER_CONFIG, "analyst",
                ClickHouseHttpConfig.PASSWORD_CONFIG, "s3cret")), engine)) {
            assertEquals(403, post(guarded, "query=SELECT+1", null, Map.of()).statusCode());
            String basic = java.util.Base64.getEncoder().encodeToString("analyst:s3cret".getBytes(StandardCharsets.UTF_8));
            HttpResponse<byte[]> ok = post(guarded, "query=SELECT+1", null, Map.of("Authorization", "Basic " + basic));
            assertEquals("1\n", text(ok));
        }
    }
}
