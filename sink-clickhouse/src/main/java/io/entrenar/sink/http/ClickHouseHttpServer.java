package io.entrenar.sink.http;

import com.clickhouse.data.stream.Lz4InputStream;
import com.clickhouse.data.stream.Lz4OutputStream;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.entrenar.ops.BrowserGuard;
import io.entrenar.sink.engine.ChdbEngine;
import io.entrenar.sink.engine.ClickHouseException;
import io.entrenar.sink.engine.Reader;
import io.entrenar.sink.engine.SingleStatement;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ClickHouse's HTTP interface over the embedded chDB engine, so that curl, clickhouse-jdbc,
 * client-v2 and other processes query the embedded store as they would a server (chDB lets one
 * process own the storage path). Speaks what those clients send: the query in the URL
 * ({@code query=}) or the body, insert data in the body (also client-v2's
 * {@code INSERT ... FORMAT RowBinary\n<data>} in one body), {@code default_format} or
 * {@code X-ClickHouse-Format}, {@code database} or {@code X-ClickHouse-Database},
 * {@code param_*} query parameters, {@code compress=1} (ClickHouse's LZ4 block framing of the
 * answer), {@code decompress=1} (the same framing on the request), {@code GET /ping}; answers
 * with the {@code X-ClickHouse-*} headers and reports errors as ClickHouse does: HTTP 500 with
 * {@code Code: N. DB::Exception: ...} and {@code X-ClickHouse-Exception-Code}.
 *
 * <p>Insert data never becomes SQL text: it is written to a file and read with
 * {@code FROM INFILE}. Several statements in one request are refused, as a server does.
 */
public final class ClickHouseHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseHttpServer.class);
    private static final int AUTHENTICATION_FAILED = 516;
    private static final int STD_EXCEPTION = 1001;
    /** A read-only endpoint takes at most this much query text (ClickHouse parses at most 256 KiB of a query). */
    private static final int MAX_QUERY_TEXT_BYTES = 1 << 20;

    private final ChdbEngine engine;
    private final HttpServer server;
    private final ExecutorService pool;
    private final boolean readOnly;
    private final Reader reader;
    private final long maxRequestBytes;
    private final String user;
    private final String password;
    private final String timezone;
    private final Path spoolDir;
    private final Supplier<String> metrics;

    private ClickHouseHttpServer(ClickHouseHttpConfig config, ChdbEngine engine, Supplier<String> metrics)
            throws IOException {
        this.engine = engine;
        this.metrics = metrics;
        this.readOnly = config.getBoolean(ClickHouseHttpConfig.READ_ONLY_CONFIG);
        this.reader = readOnly ? new Reader(engine, config.readerLimits()) : null;
        this.maxRequestBytes = readOnly ? MAX_QUERY_TEXT_BYTES : config.getLong(ClickHouseHttpConfig.MAX_REQUEST_BYTES_CONFIG);
        this.user = config.getString(ClickHouseHttpConfig.USER_CONFIG);
        this.password = config.getPassword(ClickHouseHttpConfig.PASSWORD_CONFIG).value();
        this.timezone = engine.rows("SELECT timezone()").single();
        this.spoolDir = Files.createTempDirectory("entrenar-clickhouse-http");
        this.server = HttpServer.create(new InetSocketAddress(config.getString(ClickHouseHttpConfig.HOST_CONFIG),
                config.getInt(ClickHouseHttpConfig.PORT_CONFIG)), 64);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.getInt(ClickHouseHttpConfig.THREADS_CONFIG), r -> {
            Thread t = new Thread(r, "clickhouse-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        BrowserGuard.install(server, config.getList(ClickHouseHttpConfig.ALLOWED_HOSTS_CONFIG),
                config.getList(ClickHouseHttpConfig.ALLOWED_ORIGINS_CONFIG), server.createContext("/", this::handle));
        server.start();
    }

    /** Starts serving; the engine stays the caller's (close this server before the engine). */
    public static ClickHouseHttpServer start(ClickHouseHttpConfig config, ChdbEngine engine) {
        return start(config, engine, null);
    }

    /** As {@link #start(ClickHouseHttpConfig, ChdbEngine)}, also serving {@code metrics} at {@code GET /metrics}. */
    public static ClickHouseHttpServer start(ClickHouseHttpConfig config, ChdbEngine engine, Supplier<String> metrics) {
        try {
            ClickHouseHttpServer s = new ClickHouseHttpServer(config, engine, metrics);
            LOG.info("ClickHouse HTTP endpoint on {} ({})", s.url(), s.readOnly ? "read-only" : "read-write");
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the ClickHouse HTTP endpoint on "
                    + config.getString(ClickHouseHttpConfig.HOST_CONFIG) + ":"
                    + config.getInt(ClickHouseHttpConfig.PORT_CONFIG) + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    private void handle(HttpExchange ex) throws IOException {
        String queryId = UUID.randomUUID().toString();
        try {
            Map<String, String> params = parseQuery(ex.getRequestURI().getRawQuery());
            queryId = params.getOrDefault("query_id", queryId);
            String path = ex.getRequestURI().getPath();
            if (path.equals("/ping")) {
                send(ex, 200, "text/plain; charset=UTF-8", "Ok.\n".getBytes(StandardCharsets.UTF_8), false, queryId, null);
                return;
            }
            if (path.equals("/metrics") && metrics != null) {
                send(ex, 200, "text/plain; version=0.0.4; charset=UTF-8", metrics.get().getBytes(StandardCharsets.UTF_8),
                        false, queryId, null);
                return;
            }
            if (!path.equals("/")) {
                throw new ClickHouseException(STD_EXCEPTION, "Code: 1001. DB::Exception: There is no handle " + path
                        + ". (STD_EXCEPTION)");
            }
            authenticate(ex, params);
            byte[] body = readBody(ex, "1".equals(params.get("decompress")), maxRequestBytes);
            if (body == null) {
                send(ex, 413, "text/plain; charset=UTF-8", ("Code: 1001. DB::Exception: The request body passed " + maxRequestBytes
                        + " bytes" + (readOnly ? " (a read-only endpoint takes at most 1 MiB of query text)" : " (http.max.request.bytes)")
                        + ". (STD_EXCEPTION)\n").getBytes(StandardCharsets.UTF_8), false, queryId, null);
                return;
            }
            String urlQuery = params.get("query");
            if (urlQuery == null && body.length == 0) {
                send(ex, 200, "text/plain; charset=UTF-8", "Ok.\n".getBytes(StandardCharsets.UTF_8), false, queryId, null);
                return;
            }
            String format = params.getOrDefault("default_format",
                    firstNonNull(ex.getRequestHeaders().getFirst("X-ClickHouse-Format"), "TabSeparated"));
            String database = params.getOrDefault("database", ex.getRequestHeaders().getFirst("X-ClickHouse-Database"));
            Map<String, String> sqlParams = new HashMap<>();
            params.forEach((k, v) -> {
                if (k.startsWith("param_")) {
                    sqlParams.put(k.substring("param_".length()), QueryText.unescapeParameter(v));
                }
            });
            boolean compress = "1".equals(params.get("compress"));
            if (readOnly) {
                answerRead(ex, readText(urlQuery, body), database, sqlParams, format, compress, queryId);
                return;
            }
            byte[] out = execute(urlQuery, body, database, sqlParams, format);
            send(ex, 200, contentType(format), out, compress, queryId, format);
        } catch (ClickHouseException e) {
            sendError(ex, e.code() == ClickHouseException.CLIENT_ERROR ? STD_EXCEPTION : e.code(), e.getMessage(), queryId);
        } catch (RuntimeException e) {
            sendError(ex, STD_EXCEPTION, "Code: 1001. DB::Exception: " + e.getMessage() + ". (STD_EXCEPTION)", queryId);
        } finally {
            // Not try-with-resources: the exchange must stay open for the error answer of the catch blocks.
            ex.close();
        }
    }

    /** As ClickHouse: the body continues the query in the URL. */
    private static String readText(String urlQuery, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (urlQuery == null) {
            return text;
        }
        return body.length == 0 ? urlQuery : urlQuery + "\n" + text;
    }

    /**
     * A read: through the {@link Reader} into a spool, then to the client once the engine is free
     * again, so the status line tells the truth and a slow client does not hold the engine.
     */
    private void answerRead(HttpExchange ex, String sql, String database, Map<String, String> params, String format,
                            boolean compress, String queryId) throws IOException {
        try (ResultSpool spool = new ResultSpool(spoolDir)) {
            reader.query(database, sql, params, format, spool::write);
            headers(ex, contentType(format), queryId, format, spool.length());
            if (compress && spool.length() > 0 && spool.inMemory()) {
                // One fixed-length answer: a chunked one would end with a separate small packet, which
                // Nagle's algorithm holds until the client's delayed ACK (~40 ms a query).
                ByteArrayOutputStream framed = new ByteArrayOutputStream((int) spool.length() / 2 + 64);
                try (OutputStream o = lz4(framed)) {
                    spool.transferTo(o);
                }
                ex.sendResponseHeaders(200, framed.size());
                try (OutputStream o = ex.getResponseBody()) {
                    framed.writeTo(o);
                }
            } else if (compress && spool.length() > 0) {
                ex.sendResponseHeaders(200, 0);
                try (OutputStream o = lz4(ex.getResponseBody())) {
                    spool.transferTo(o);
                }
            } else {
                ex.sendResponseHeaders(200, spool.length() == 0 ? -1 : spool.length());
                if (spool.length() > 0) {
                    try (OutputStream o = ex.getResponseBody()) {
                        spool.transferTo(o);
                    }
                }
            }
        }
    }

    private byte[] execute(String urlQuery, byte[] body, String database, Map<String, String> params, String format)
            throws IOException {
        String sql;
        byte[] data = null;
        int dataOffset = 0;
        if (urlQuery != null) {
            sql = urlQuery;
            if (body.length > 0) {
                if (QueryText.isInsert(urlQuery)) {
                    data = body;
                } else {
                    // As ClickHouse: the body continues the query in the URL.
                    sql = urlQuery + "\n" + new String(body, StandardCharsets.UTF_8);
                }
            }
        } else {
            int nl = indexOf(body, (byte) '\n');
            String firstLine = nl < 0 ? null : new String(body, 0, nl, StandardCharsets.UTF_8);
            if (firstLine != null && QueryText.insertWithFormat(firstLine) != null) {
                sql = firstLine;
                data = body;
                dataOffset = nl + 1;
            } else {
                sql = new String(body, StandardCharsets.UTF_8);
            }
        }
        QueryText.Insert insert = QueryText.insertWithFormat(sql);
        if (insert != null) {
            if (data == null || data.length == dataOffset) {
                return new byte[0];
            }
            return insertFromFile(database, insert.statement(), insert.format(), data, dataOffset, params);
        }
        String[] values = QueryText.insertValues(sql);
        if (values != null) {
            byte[] inline = values[1].getBytes(StandardCharsets.UTF_8);
            byte[] all = data == null ? inline : concat(inline, data, dataOffset);
            return insertFromFile(database, values[0], "Values", all, 0, params);
        }
        return engine.queryIn(database, SingleStatement.require(sql), params, format);
    }

    private byte[] insertFromFile(String database, String statement, String format, byte[] data, int offset,
                                  Map<String, String> params) throws IOException {
        SingleStatement.require(statement);
        Path file = Files.createTempFile(spoolDir, "insert-", ".data");
        try {
            try (OutputStream o = Files.newOutputStream(file)) {
                o.write(data, offset, data.length - offset);
            }
            String path = file.toAbsolutePath().toString().replace("\\", "\\\\").replace("'", "\\'");
            return engine.queryIn(database, statement + " FROM INFILE '" + path + "' FORMAT " + format, params, "TabSeparated");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void authenticate(HttpExchange ex, Map<String, String> params) {
        if (user.isEmpty()) {
            return;
        }
        String u = params.get("user");
        String p = params.getOrDefault("password", "");
        Headers h = ex.getRequestHeaders();
        if (h.getFirst("X-ClickHouse-User") != null) {
            u = h.getFirst("X-ClickHouse-User");
            p = firstNonNull(h.getFirst("X-ClickHouse-Key"), "");
        }
        String auth = h.getFirst("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            u = colon < 0 ? decoded : decoded.substring(0, colon);
            p = colon < 0 ? "" : decoded.substring(colon + 1);
        }
        // Both compared in full, in constant time, so the answer's timing tells nothing about either.
        boolean userOk = MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8),
                (u == null ? "" : u).getBytes(StandardCharsets.UTF_8));
        boolean passwordOk = MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), p.getBytes(StandardCharsets.UTF_8));
        if (!userOk | !passwordOk) {
            throw new ClickHouseException(AUTHENTICATION_FAILED, "Code: 516. DB::Exception: " + (u == null ? "default" : u)
                    + ": Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)");
        }
    }

    /** The body (decompressed when asked), or null when it passes {@code max} bytes. */
    @SuppressWarnings("deprecation") // clickhouse-data's Lz4 streams are what produce ClickHouse's block framing
    private static byte[] readBody(HttpExchange ex, boolean compressed, long max) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            if (!compressed) {
                return readAtMost(in, max);
            }
            try (InputStream lz4 = new Lz4InputStream(in)) {
                return readAtMost(lz4, max);
            }
        }
    }

    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        return bytes.length > max ? null : bytes;
    }

    @SuppressWarnings("deprecation") // as readBody
    private static OutputStream lz4(OutputStream out) {
        return new Lz4OutputStream(out, 1 << 20, null);
    }

    private void send(HttpExchange ex, int status, String contentType, byte[] body, boolean compress, String queryId,
                      String format) throws IOException {
        byte[] payload = body;
        if (compress && body.length > 0) {
            ByteArrayOutputStream framed = new ByteArrayOutputStream(body.length / 2 + 64);
            try (OutputStream lz4 = lz4(framed)) {
                lz4.write(body);
            }
            payload = framed.toByteArray();
        }
        headers(ex, contentType, queryId, format, body.length);
        ex.sendResponseHeaders(status, payload.length == 0 ? -1 : payload.length);
        if (payload.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(payload);
            }
        }
    }

    private void headers(HttpExchange ex, String contentType, String queryId, String format, long resultBytes) {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("X-ClickHouse-Query-Id", queryId);
        h.set("X-ClickHouse-Timezone", timezone);
        h.set("X-ClickHouse-Server-Display-Name", "entrenar-chdb");
        if (format != null) {
            h.set("X-ClickHouse-Format", format);
        }
        h.set("X-ClickHouse-Summary", "{\"read_rows\":\"0\",\"read_bytes\":\"0\",\"written_rows\":\"0\","
                + "\"written_bytes\":\"0\",\"total_rows_to_read\":\"0\",\"result_rows\":\"0\",\"result_bytes\":\""
                + resultBytes + "\"}");
    }

    private void sendError(HttpExchange ex, int code, String message, String queryId) throws IOException {
        String text = message.startsWith("Code:") ? message : "Code: " + code + ". DB::Exception: " + message;
        ex.getResponseHeaders().set("X-ClickHouse-Exception-Code", Integer.toString(code));
        send(ex, code == AUTHENTICATION_FAILED ? 403 : 500, "text/plain; charset=UTF-8",
                (text + "\n").getBytes(StandardCharsets.UTF_8), false, queryId, null);
    }

    private static String contentType(String format) {
        String f = format.toLowerCase(Locale.ROOT);
        if (f.startsWith("json")) {
            return "application/json; charset=UTF-8";
        }
        if (f.startsWith("tabseparated") || f.startsWith("tsv")) {
            return "text/tab-separated-values; charset=UTF-8";
        }
        if (f.startsWith("csv")) {
            return "text/csv; charset=UTF-8; header=absent";
        }
        if (f.startsWith("pretty") || f.equals("vertical") || f.equals("markdown")) {
            return "text/plain; charset=UTF-8";
        }
        return "application/octet-stream";
    }

    static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b, int bOffset) {
        byte[] out = new byte[a.length + b.length - bOffset];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, bOffset, out, a.length, b.length - bOffset);
        return out;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    /** Stops accepting requests, waits up to a second for running ones; the engine stays open. */
    @Override
    public void close() {
        server.stop(1);
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(spoolDir)) {
            files.forEach(f -> f.toFile().delete());
            Files.deleteIfExists(spoolDir);
        } catch (IOException ignored) {
            // A leftover temp directory is harmless.
        }
    }
}
