package io.entrenar.sink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.entrenar.sink.EngineExtension;
import io.entrenar.sink.SharedEngine;
import io.entrenar.sink.engine.ChdbEngine;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks the read-only endpoint as a local attacker would, with the real chDB engine behind it,
 * and checks both the refusal and that nothing changed: the rows and tables are the same, no file
 * was written, no secret came back, no server was contacted. Legitimate reads keep working.
 */
@ExtendWith(EngineExtension.class)
class ReadOnlyEndpointAttackTest {

    private static final String DB = "attack_test";
    private static final String SECRET = "TOP-SECRET-3141";

    @TempDir
    static Path dir;
    private static Path secret;
    private static Path outfile;
    private static ClickHouseHttpServer endpoint;
    private static HttpServer bait;
    private static final AtomicInteger baitHits = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(ChdbEngine engine) throws Exception {
        SharedEngine.database(engine, DB);
        engine.execute("CREATE TABLE " + DB + ".notes (id UInt32, text String) ENGINE = MergeTree ORDER BY id");
        engine.execute("INSERT INTO " + DB + ".notes SELECT number, toString(number) FROM numbers(5)");
        secret = Files.writeString(dir.resolve("secret.txt"), SECRET + "\n");
        outfile = dir.resolve("written-by-attacker.txt");
        // Any request the engine makes to this server is a request that reached out.
        bait = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        bait.createContext("/", ex -> {
            baitHits.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        bait.start();
        endpoint = ClickHouseHttpServer.start(new ClickHouseHttpConfig(Map.of(ClickHouseHttpConfig.PORT_CONFIG, 0)), engine);
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        bait.stop(0);
    }

    private List<String> attacks() {
        String s = "'" + secret + "'";
        String o = "'" + outfile + "'";
        String bait = "127.0.0.1:" + ReadOnlyEndpointAttackTest.bait.getAddress().getPort();
        String t = DB + ".notes";
        return List.of(
                // writes, schema changes, settings, admin statements
                "INSERT INTO " + t + " VALUES (99, 'x')",
                "WITH 1 AS x INSERT INTO " + t + " SELECT 99, 'x'",
                "  /* looks like a read */ (DROP TABLE " + t + ")",
                "DROP TABLE " + t,
                "TRUNCATE TABLE " + t,
                "ALTER TABLE " + t + " DELETE WHERE 1",
                "ALTER TABLE " + t + " UPDATE text = 'x' WHERE 1",
                "CREATE TABLE " + DB + ".evil (x UInt8) ENGINE = Memory",
                "CREATE TABLE " + DB + ".evil ENGINE = Memory AS SELECT * FROM " + t,
                "RENAME TABLE " + t + " TO " + DB + ".moved",
                "DETACH TABLE " + t,
                "OPTIMIZE TABLE " + t + " FINAL",
                "SET readonly = 0",
                "SYSTEM STOP MERGES",
                "KILL QUERY WHERE 1",
                "CREATE USER evil IDENTIFIED WITH no_password",
                "CREATE FUNCTION evil AS x -> x",
                "INSERT INTO FUNCTION file(" + o + ", 'LineAsString') SELECT 'pwned'",
                // several statements, hidden in comments and strings
                "SELECT 1; DROP TABLE " + t,
                "SELECT 1 // comment\n; DROP TABLE " + t,
                "SELECT 1 /* a /* nested */ comment */; DROP TABLE " + t,
                "SELECT $$a;b$$; DROP TABLE " + t,
                "SELECT 1 -- ;\n; DROP TABLE " + t,
                "SELECT 1\n;\nDROP TABLE " + t,
                // local files, under every spelling
                "SELECT * FROM file(" + s + ", 'LineAsString')",
                "SELECT * FROM `file`(" + s + ", 'LineAsString')",
                "SELECT * FROM file /* c */ (" + s + ", 'LineAsString')",
                "SELECT * FROM FILE(" + s + ", 'LineAsString')",
                "SELECT file(" + s + ")",
                "SELECT `file`(" + s + ")",
                "SELECT (SELECT file(" + s + "))",
                "SELECT * FROM view(SELECT file(" + s + ") AS f)",
                "SELECT * FROM fileCluster('default', " + s + ", 'LineAsString')",
                "SELECT * FROM icebergLocal(" + s + ")",
                "SELECT * FROM deltaLakeLocal(" + s + ")",
                "SELECT * FROM (SELECT * FROM file(" + s + ", 'LineAsString') SETTINGS readonly = 0)",
                "SELECT * FROM file(" + s + ", 'LineAsString') SETTINGS readonly = 0",
                "SELECT 1 UNION ALL SELECT * FROM file(" + s + ", 'LineAsString')",
                "DESCRIBE file(" + s + ", 'LineAsString')",
                "DESCRIBE (SELECT * FROM file(" + s + ", 'LineAsString'))",
                "EXPLAIN SELECT * FROM file(" + s + ", 'LineAsString')",
                "EXPLAIN PLAN actions = 1 SELECT * FROM file(" + s + ", 'LineAsString')",
                "SELECT * FROM filesystem('" + dir + "')",
                "SELECT catboostEvaluate(" + s + ", 1)",
                // the network and processes
                "SELECT * FROM url('http://" + bait + "/x', 'LineAsString')",
                "SELECT * FROM urlCluster('default', 'http://" + bait + "/x', 'LineAsString')",
                "SELECT * FROM `url` /**/ ('http://" + bait + "/x', 'LineAsString')",
                "SELECT * FROM remote('" + bait + "', system.one)",
                "SELECT * FROM remoteSecure('" + bait + "', system.one)",
                "SELECT * FROM cluster('default', system.one)",
                "SELECT * FROM s3('http://" + bait + "/b/k.csv', 'CSV')",
                "SELECT * FROM mysql('" + bait + "', 'db', 't', 'u', 'p')",
                "SELECT * FROM postgresql('" + bait + "', 'db', 't', 'u', 'p')",
                "SELECT * FROM executable('id', 'TSV', 'x String')",
                "SELECT * FROM input('x String')",
                // files written by the client side of chDB
                "SELECT 'pwned' INTO OUTFILE " + o,
                "SELECT 'pwned' INTO/**/OUTFILE " + o,
                "SELECT 'pwned' INTO OUTFILE " + o + " AND STDOUT",
                "SELECT 'pwned' INTO OUTFILE " + o + " COMPRESSION 'gzip'",
                "SHOW TABLES FROM " + DB + " INTO OUTFILE " + o,
                "DESCRIBE TABLE " + t + " INTO OUTFILE " + o,
                "EXPLAIN SELECT 1 INTO OUTFILE " + o);
    }

    @Test
    void everyAttackIsRefusedAndChangesNothing(ChdbEngine engine) throws Exception {
        String tablesBefore = tables(engine);
        List<String> answered = new ArrayList<>();
        for (String attack : attacks()) {
            for (boolean get : new boolean[] {true, false}) {
                HttpResponse<String> r = get ? get(attack) : post(attack);
                if (r.statusCode() == 200 || r.body().contains(SECRET)) {
                    answered.add((get ? "GET " : "POST ") + attack + " -> " + r.statusCode() + " " + r.body());
                }
                assertTrue(r.headers().firstValue("X-ClickHouse-Exception-Code").isPresent() || r.statusCode() == 200,
                        attack + ": " + r.body());
            }
        }
        assertEquals(List.of(), answered, "attacks that the endpoint answered");
        assertEquals("5", engine.rows("SELECT count() FROM " + DB + ".notes WHERE text = toString(id)").single());
        assertEquals(tablesBefore, tables(engine));
        assertFalse(Files.exists(outfile), "a file was written");
        assertFalse(Files.exists(Path.of(outfile + ".gz")), "a file was written");
        assertEquals(0, baitHits.get(), "the engine contacted a server");
    }

    @Test
    void refusalsSayWhy() throws Exception {
        HttpResponse<String> write = post("WITH 1 AS x INSERT INTO " + DB + ".notes SELECT 99, 'x'");
        assertEquals(500, write.statusCode());
        assertEquals("164", write.headers().firstValue("X-ClickHouse-Exception-Code").orElseThrow());
        assertTrue(write.body().startsWith("Code: 164. DB::Exception: Cannot execute query in readonly mode: Insert is not a read"),
                write.body());

        HttpResponse<String> file = post("SELECT * FROM `file`('" + secret + "', 'LineAsString')");
        assertEquals("497", file.headers().firstValue("X-ClickHouse-Exception-Code").orElseThrow());
        assertTrue(file.body().contains("function file reaches files"), file.body());

        HttpResponse<String> settings = post("SELECT 1 SETTINGS max_execution_time = 0");
        assertEquals("164", settings.headers().firstValue("X-ClickHouse-Exception-Code").orElseThrow());
        assertTrue(settings.body().contains("SETTINGS clauses are not accepted"), settings.body());

        HttpResponse<String> multi = post("SELECT 1 // x\n; DROP TABLE " + DB + ".notes");
        assertEquals("62", multi.headers().firstValue("X-ClickHouse-Exception-Code").orElseThrow());
    }

    @Test
    void legitimateReadsKeepWorking() throws Exception {
        assertEquals("10\n", post("SELECT sum(id) FROM " + DB + ".notes").body());
        assertEquals("10\n", get("WITH s AS (SELECT sum(id) AS v FROM " + DB + ".notes) SELECT v FROM s").body());
        assertEquals("3\n", post("/* a comment */ SELECT count() -- trailing\nFROM " + DB + ".notes WHERE id >= 2;").body());
        assertEquals("notes\n", post("SHOW TABLES FROM " + DB).body());
        assertTrue(post("DESCRIBE TABLE " + DB + ".notes").body().startsWith("id\tUInt32"));
        assertEquals("1\n", post("EXISTS TABLE " + DB + ".notes").body());
        assertTrue(post("SHOW CREATE TABLE " + DB + ".notes").body().contains("MergeTree"));
        assertEquals(200, post("EXPLAIN SELECT count() FROM " + DB + ".notes").statusCode());
        assertEquals("{\"n\":3}\n", post("SELECT count() AS n FROM " + DB + ".notes WHERE id < 3 FORMAT JSONEachRow").body());
        assertEquals("0\n1\n2\n", post("SELECT * FROM (SELECT number FROM numbers(3) UNION ALL SELECT 99 WHERE 0) ORDER BY number").body());
        assertEquals("a b\n", post("SELECT format('{} {}', 'a', 'b')").body());
        // empty results in formats with a header or a footer: chDB ends such a stream early
        assertEquals("id\ttext\nUInt32\tString\n", post("SELECT id, text FROM " + DB + ".notes WHERE id > 100",
                "default_format=TSVWithNamesAndTypes").body());
        assertTrue(post("SELECT id FROM " + DB + ".notes WHERE id > 100 FORMAT JSON").body().contains("\"rows\": 0"));
        assertEquals("2\n", post("SELECT count() FROM " + DB + ".notes WHERE text IN {names:Array(String)}",
                "param_names=" + enc("['1','3']")).body());
        assertEquals("notes\n", post("SELECT name FROM system.tables WHERE database = {db:String}", "param_db=" + DB).body());
        // clickhouse-jdbc, as the CLI and the dashboard use it
        try (Connection c = DriverManager.getConnection("jdbc:clickhouse://127.0.0.1:" + endpoint.port() + "/" + DB, "default", "");
             PreparedStatement ps = c.prepareStatement("SELECT text FROM notes WHERE id = ?")) {
            ps.setInt(1, 4);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("4", rs.getString(1));
            }
            try (ResultSet tables = c.getMetaData().getTables(null, DB, "%", null)) {
                assertTrue(tables.next(), "DatabaseMetaData works (DBeaver and friends use it)");
            }
        }
    }

    @Test
    void largeAnswersArriveWhole() throws Exception {
        // ~2.4 MB of JSONEachRow: past the spool's 1 MiB in memory, so it goes through a file.
        HttpResponse<String> r = post("SELECT number AS n, repeat('x', 20) AS pad FROM numbers(60000) FORMAT JSONEachRow");
        assertEquals(200, r.statusCode());
        String[] lines = r.body().split("\n");
        assertEquals(60000, lines.length);
        assertEquals("{\"n\":59999,\"pad\":\"xxxxxxxxxxxxxxxxxxxx\"}", lines[59999]);
    }

    @Test
    void browsersOfOtherSitesAndRebindingNamesAreRefused() throws Exception {
        assertTrue(raw("GET /?query=SELECT+1 HTTP/1.1\r\nHost: attacker.example:" + endpoint.port() + "\r\n").startsWith("HTTP/1.1 403"));
        assertTrue(raw("GET /?query=SELECT+1 HTTP/1.1\r\nHost: 127.0.0.1:" + endpoint.port() + "\r\nOrigin: http://attacker.example\r\n")
                .startsWith("HTTP/1.1 403"));
        assertTrue(raw("POST / HTTP/1.1\r\nHost: localhost:" + endpoint.port() + "\r\nSec-Fetch-Site: cross-site\r\n"
                + "Content-Length: 8\r\n\r\nSELECT 1").startsWith("HTTP/1.1 403"));
        String plain = raw("GET /?query=SELECT+7 HTTP/1.1\r\nHost: localhost:" + endpoint.port() + "\r\n");
        assertTrue(plain.startsWith("HTTP/1.1 200") && plain.endsWith("\r\n\r\n7\n"), plain);
    }

    @Test
    void anAllowedOriginMayReadTheAnswer(ChdbEngine engine) throws Exception {
        try (ClickHouseHttpServer s = ClickHouseHttpServer.start(new ClickHouseHttpConfig(Map.of(ClickHouseHttpConfig.PORT_CONFIG, 0,
                ClickHouseHttpConfig.ALLOWED_ORIGINS_CONFIG, "http://localhost:3000")), engine)) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.url() + "/"))
                    .header("Origin", "http://localhost:3000").POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("1\n", r.body());
            assertEquals("http://localhost:3000", r.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        }
    }

    @Test
    void oversizedQueryTextIsRefusedUnread() throws Exception {
        HttpResponse<String> r = post("SELECT '" + "x".repeat(2 << 20) + "'");
        assertEquals(413, r.statusCode());
        assertTrue(r.body().contains("at most 1 MiB of query text"), r.body());
    }

    @Test
    void aBeyondLoopbackEndpointNeedsAPassword() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.apache.kafka.common.config.ConfigException.class,
                () -> new ClickHouseHttpConfig(Map.of(ClickHouseHttpConfig.HOST_CONFIG, "0.0.0.0")));
        assertTrue(e.getMessage().contains("set http.user and http.password"), e.getMessage());
    }

    private static String tables(ChdbEngine engine) {
        return engine.rows("SELECT groupArray(name) FROM (SELECT name FROM system.tables WHERE database = '" + DB
                + "' ORDER BY name)").single();
    }

    private HttpResponse<String> post(String sql) throws Exception {
        return post(sql, null);
    }

    private HttpResponse<String> post(String sql, String urlQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/" + (urlQuery == null ? "" : "?" + urlQuery)))
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String sql) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/?query=" + enc(sql))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A hand-written request: java.net.http will not send a Host header of our choosing. */
    private static String raw(String head) throws Exception {
        String request = head.contains("\r\n\r\n") ? head : head + "Connection: close\r\n\r\n";
        if (head.contains("\r\n\r\n")) {
            request = head.replaceFirst("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
        }
        try (Socket s = new Socket("127.0.0.1", endpoint.port())) {
            s.setSoTimeout(10_000);
            OutputStream o = s.getOutputStream();
            o.write(request.getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }
}
