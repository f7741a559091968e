package io.entrenar.sink.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * ClickHouse in this process: chDB's {@code libchdb.so} through the FFM API.
 *
 * <p>The traps of embedding chDB in a JVM, and how this class handles them:
 * <ol>
 *   <li>Signal handlers: chDB's crash handlers replace the JVM's; {@link JvmSignalHandlers}
 *       saves the JVM's before libchdb loads and restores them after every chDB call.
 *   <li>Inline data: data after a blank line of a query runs as SQL; values never go into SQL
 *       text here: inserts read files ({@code FROM INFILE}), queries bind parameters.
 *   <li>One storage path per process: a second open with another path fails, as does a second
 *       open of the same path (share the engine instead); chDB locks the path against other
 *       processes, which query through the HTTP endpoint.
 *   <li>Exit without {@code chdb_close_conn} after MergeTree writes crashes the JVM: a shutdown
 *       hook closes the engine if its owner did not.
 *   <li>chDB runs {@code ;}-separated statements one after another: every method takes exactly
 *       one statement ({@link SingleStatement}).
 * </ol>
 * A connection runs one statement at a time, so calls are serialized.
 */
@SuppressWarnings("restricted") // FFM downcalls into libchdb / libc are the point of this class
public final class ChdbEngine implements Engine {

    /** The chDB release scripts/setup.sh installs and whose C API this class binds. */
    public static final String CHDB_VERSION = "26.5.3";

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9]+");
    private static final int TIMEOUT_EXCEEDED = 159;
    private static final int QUERY_WAS_CANCELLED = 394;
    private static final String NO_ACTIVE_STREAM = "No active streaming query";
    private static final Object OPEN_LOCK = new Object();
    private static Path openPath;

    private final ChdbLibrary lib;
    private final Path path;
    private final MemorySegment connectionPtr;
    private final MemorySegment connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread shutdownHook;
    private volatile boolean closed;
    /** Set before close waits for the connection, so that a streaming query stops at its next chunk. */
    private volatile boolean closeRequested;
    private String currentDatabase = "default";

    private ChdbEngine(ChdbLibrary lib, Path path, MemorySegment connectionPtr) {
        this.lib = lib;
        this.path = path;
        this.connectionPtr = connectionPtr;
        this.connection = connectionPtr.get(ValueLayout.ADDRESS, 0);
        this.shutdownHook = new Thread(this::closeFromHook, "chdb-close");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Opens chDB on {@code dataDir} with the library where scripts/setup.sh puts it. */
    public static ChdbEngine open(Path dataDir) {
        return open(dataDir, ChdbLibrary.defaultPath());
    }

    public static ChdbEngine open(Path dataDir, Path library) {
        Path path = dataDir.toAbsolutePath().normalize();
        synchronized (OPEN_LOCK) {
            if (openPath != null) {
                throw new IllegalStateException("chDB is already open in this process on " + openPath
                        + " (one storage path per process): share that engine instead of opening " + path);
            }
            ChdbLibrary lib = ChdbLibrary.load(library);
            try {
                Files.createDirectories(path);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot create chDB data directory " + path + ": " + e.getMessage(), e);
            }
            MemorySegment connPtr;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, 2);
                argv.setAtIndex(ValueLayout.ADDRESS, 0, arena.allocateFrom("clickhouse"));
                argv.setAtIndex(ValueLayout.ADDRESS, 1, arena.allocateFrom("--path=" + path));
                connPtr = (MemorySegment) lib.connect.invokeExact(2, argv);
            } catch (Throwable e) {
                throw new IllegalStateException("chdb_connect failed", e);
            } finally {
                lib.jvmSignals.restore();
            }
            if (connPtr.equals(MemorySegment.NULL)) {
                throw new ClickHouseException(ClickHouseException.CLIENT_ERROR, "chdb_connect failed for " + path
                        + " (is another process using this path? only one may open it; query it through its HTTP endpoint)");
            }
            ChdbEngine engine = new ChdbEngine(lib, path, connPtr.reinterpret(ValueLayout.ADDRESS.byteSize()));
            openPath = path;
            return engine;
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public String kind() {
        return "chdb";
    }

    @Override
    public void execute(String sql, Map<String, String> params) {
        run(SingleStatement.require(sql), params, "TabSeparated");
    }

    @Override
    public byte[] query(String sql, Map<String, String> params, String format) {
        if (!FORMAT.matcher(format).matches()) {
            throw new IllegalArgumentException("not a ClickHouse format name: " + format);
        }
        return run(SingleStatement.require(sql), params, format);
    }

    /**
     * Runs one query with {@code database} as the current database (null = leave it), as the
     * HTTP endpoint does for {@code database=} / {@code X-ClickHouse-Database}. The engine's own
     * statements name their database, so switching it affects nothing else.
     */
    public byte[] queryIn(String database, String sql, Map<String, String> params, String format) {
        lock.lock();
        try {
            use(database);
            return query(sql, params, format);
        } finally {
            lock.unlock();
        }
    }

    /** Receives a streamed query's output, chunk by chunk; an exception stops and cancels the query. */
    @FunctionalInterface
    public interface ChunkSink {
        /** {@code chunk} is only valid during the call (read-only, in native memory). */
        void accept(ByteBuffer chunk) throws IOException;
    }

    /**
     * Runs one query with {@code database} as the current database (as {@link #queryIn}) and hands
     * its output to {@code out} as the engine produces it, so that a large result never sits whole
     * in memory. The connection runs one statement at a time: this waits at most {@code lockWait}
     * for it, then fails with TIMEOUT_EXCEEDED (159) naming the wait. Closing the engine cancels a
     * streaming query at its next chunk.
     */
    public void stream(String database, String sql, Map<String, String> params, String format, Duration lockWait,
                       ChunkSink out) throws IOException {
        if (!FORMAT.matcher(format).matches()) {
            throw new IllegalArgumentException("not a ClickHouse format name: " + format);
        }
        String statement = SingleStatement.require(sql);
        acquire(lockWait);
        try {
            use(database);
            streamLocked(statement, params, format, out);
        } finally {
            lock.unlock();
        }
    }

    /** The connection held by one caller until closed (see {@link #exclusive}). */
    public interface Exclusive extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Holds the connection for a sequence of statements of this thread (a reader's check, then its
     * query), so that no other statement runs in between; waits at most {@code wait} for it, then
     * fails with TIMEOUT_EXCEEDED (159). The other methods work as usual while it is held.
     */
    public Exclusive exclusive(Duration wait) {
        acquire(wait);
        return lock::unlock;
    }

    private void acquire(Duration wait) {
        boolean acquired;
        try {
            acquired = lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException(QUERY_WAS_CANCELLED, "Code: 394. DB::Exception: Query was cancelled while it "
                    + "waited for the engine. (QUERY_WAS_CANCELLED)");
        }
        if (!acquired) {
            throw new ClickHouseException(TIMEOUT_EXCEEDED, "Code: 159. DB::Exception: Timeout exceeded: waited "
                    + wait.toMillis() + " ms for the engine, which runs one statement at a time and was busy. (TIMEOUT_EXCEEDED)");
        }
    }

    private void use(String database) {
        if (database != null && !database.isEmpty() && !database.equals(currentDatabase)) {
            if (!Pattern.matches("[A-Za-z_][A-Za-z0-9_]*", database)) {
                throw new ClickHouseException(81, "Code: 81. DB::Exception: Database " + database
                        + " does not exist. (UNKNOWN_DATABASE)");
            }
            run("USE " + database, Map.of(), "TabSeparated");
            currentDatabase = database;
        }
    }

    private void streamLocked(String sql, Map<String, String> params, String format, ChunkSink out) throws IOException {
        if (closed) {
            throw new IllegalStateException("chDB engine on " + path + " is closed");
        }
        MemorySegment stream;
        try (Arena arena = Arena.ofConfined()) {
            Statement st = Statement.of(arena, sql, params, format);
            stream = (MemorySegment) lib.streamQueryWithParamsN.invokeExact(connection, st.query(), st.queryLength(),
                    st.format(), st.formatLength(), st.names(), st.nameLengths(), st.values(), st.valueLengths(), st.count());
        } catch (Throwable e) {
            throw new ClickHouseException(ClickHouseException.CLIENT_ERROR, "chDB call failed: " + e, e);
        } finally {
            lib.jvmSignals.restore();
        }
        boolean finished = false;
        try {
            throwIfError(stream);
            boolean received = false;
            while (!closeRequested) {
                MemorySegment chunk = fetch(stream);
                try {
                    if (received && NO_ACTIVE_STREAM.equals(errorOf(chunk))) {
                        // chDB ends a stream with its last chunk when that chunk has no rows (a header or a
                        // footer: TSVWithNames, JSON, RowBinaryWithNamesAndTypes of an empty result), and then
                        // answers the next fetch so: the stream is complete.
                        finished = true;
                        return;
                    }
                    throwIfError(chunk);
                    long length = (long) lib.resultLength.invokeExact(chunk);
                    if (length == 0) {
                        finished = true;
                        return;
                    }
                    MemorySegment buffer = (MemorySegment) lib.resultBuffer.invokeExact(chunk);
                    received = true;
                    out.accept(buffer.reinterpret(length).asByteBuffer().asReadOnlyBuffer());
                } finally {
                    destroy(chunk);
                }
            }
            throw new ClickHouseException(QUERY_WAS_CANCELLED, "Code: 394. DB::Exception: Query was cancelled: "
                    + "the engine is shutting down. (QUERY_WAS_CANCELLED)");
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new ClickHouseException(ClickHouseException.CLIENT_ERROR, "chDB call failed: " + e, e);
        } finally {
            if (!finished) {
                cancel(stream);
            }
            destroy(stream);
        }
    }

    private MemorySegment fetch(MemorySegment stream) throws Throwable {
        try {
            MemorySegment chunk = (MemorySegment) lib.streamFetchResult.invokeExact(connection, stream);
            if (chunk.equals(MemorySegment.NULL)) {
                throw new ClickHouseException(ClickHouseException.CLIENT_ERROR, "chDB returned no result chunk");
            }
            return chunk;
        } finally {
            lib.jvmSignals.restore();
        }
    }

    private String errorOf(MemorySegment result) throws Throwable {
        MemorySegment error = (MemorySegment) lib.resultError.invokeExact(result);
        return error.equals(MemorySegment.NULL) ? null : error.reinterpret(Long.MAX_VALUE).getString(0).strip();
    }

    private void throwIfError(MemorySegment result) throws Throwable {
        if (result.equals(MemorySegment.NULL)) {
            throw new ClickHouseException(ClickHouseException.CLIENT_ERROR, "chDB returned no result");
        }
        String error = errorOf(result);
        if (error != null) {
            throw ClickHouseException.fromMessage(error);
        }
    }

    private void cancel(MemorySegment stream) {
        try {
            lib.streamCancelQuery.invokeExact(connection, stream);
        } catch (Throwable e) {
            throw new IllegalStateException("chdb_stream_cancel_query failed", e);
        } finally {
            lib.jvmSignals.restore();
        }
    }

    private void destroy(MemorySegment result) {
        if (result.equals(MemorySegment.NULL)) {
            return;
        }
        try {
            lib.destroyResult.invokeExact(result);
        } catch (Throwable e) {
            throw new IllegalStateException("chdb_destroy_query_result failed", e);
        }
    }

    /** A statement, its format and its parameters in native memory, as the C API takes them. */
    private record Statement(MemorySegment query, long queryLength, MemorySegment format, long formatLength,
                             MemorySegment names, MemorySegment nameLengths, MemorySegment values,
                             MemorySegment valueLengths, long count) {

        static Statement of(Arena arena, String sql, Map<String, String> params, String format) {
            byte[] q = sql.getBytes(StandardCharsets.UTF_8);
            byte[] f = format.getBytes(StandardCharsets.US_ASCII);
            int n = params.size();
            MemorySegment names = n == 0 ? MemorySegment.NULL : arena.allocate(ValueLayout.ADDRESS, n);
            MemorySegment nameLens = n == 0 ? MemorySegment.NULL : arena.allocate(ValueLayout.JAVA_LONG, n);
            MemorySegment values = n == 0 ? MemorySegment.NULL : arena.allocate(ValueLayout.ADDRESS, n);
            MemorySegment valueLens = n == 0 ? MemorySegment.NULL : arena.allocate(ValueLayout.JAVA_LONG, n);
            int i = 0;
            for (Map.Entry<String, String> e : params.entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                byte[] value = escapeParameter(e.getValue()).getBytes(StandardCharsets.UTF_8);
                names.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(ValueLayout.JAVA_BYTE, name));
                nameLens.setAtIndex(ValueLayout.JAVA_LONG, i, name.length);
                values.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(ValueLayout.JAVA_BYTE, value));
                valueLens.setAtIndex(ValueLayout.JAVA_LONG, i, value.length);
                i++;
            }
            return new Statement(arena.allocateFrom(ValueLayout.JAVA_BYTE, q), q.length,
                    arena.allocateFrom(ValueLayout.JAVA_BYTE, f), f.length, names, nameLens, values, valueLens, n);
        }
    }

    @Override
    public QueryResult rows(String sql, Map<String, String> params) {
        return TabSeparated.parseWithNamesAndTypes(query(sql, params, "TabSeparatedWithNamesAndTypes"));
    }

    @Override
    public void insertFile(String table, List<String> columns, Path file, String format) {
        run(insertFromFile(table, columns, file, format), Map.of(), "TabSeparated");
    }

    /** {@code INSERT INTO t (cols) FROM INFILE 'file' FORMAT f}, with every name checked. */
    static String insertFromFile(String table, List<String> columns, Path file, String format) {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        if (!FORMAT.matcher(format).matches()) {
            throw new IllegalArgumentException("not a ClickHouse format name: " + format);
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            if (!COLUMN.matcher(columns.get(i)).matches()) {
                throw new IllegalArgumentException("not a column name: " + columns.get(i));
            }
            sql.append(i == 0 ? "" : ", ").append(columns.get(i));
        }
        return sql.append(") FROM INFILE ").append(quote(file.toAbsolutePath().toString()))
                .append(" FORMAT ").append(format).toString();
    }

    /**
     * ClickHouse parses query parameter values in its escaped (TabSeparated) form, as they arrive
     * in HTTP {@code param_*} arguments; raw values are escaped here so that any text binds as itself.
     */
    static String escapeParameter(String value) {
        StringBuilder b = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String rep = switch (c) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\0' -> "\\0";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                default -> null;
            };
            if (rep != null && b == null) {
                b = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (b != null) {
                if (rep != null) {
                    b.append(rep);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? value : b.toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('\'').toString();
    }

    private byte[] run(String sql, Map<String, String> params, String format) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("chDB engine on " + path + " is closed");
            }
            try (Arena arena = Arena.ofConfined()) {
                Statement st = Statement.of(arena, sql, params, format);
                MemorySegment result;
                if (params.isEmpty()) {
                    result = (MemorySegment) lib.queryN.invokeExact(connection, st.query(), st.queryLength(), st.format(),
                            st.formatLength());
                } else {
                    result = (MemorySegment) lib.queryWithParamsN.invokeExact(connection, st.query(), st.queryLength(),
                            st.format(), st.formatLength(), st.names(), st.nameLengths(), st.values(), st.valueLengths(),
                            st.count());
                }
                return takeResult(result);
            }
        } catch (ClickHouseException | IllegalStateException e) {
            throw e;
        } catch (Throwable e) {
            throw new ClickHouseException(ClickHouseException.CLIENT_ERROR, "chDB call failed: " + e, e);
        } finally {
            lib.jvmSignals.restore();
            lock.unlock();
        }
    }

    /** Copies the output (or the error) out of chDB's result and frees it. */
    private byte[] takeResult(MemorySegment result) throws Throwable {
        if (result.equals(MemorySegment.NULL)) {
            throw new ClickHouseException(ClickHouseException.CLIENT_ERROR, "chDB returned no result");
        }
        try {
            MemorySegment error = (MemorySegment) lib.resultError.invokeExact(result);
            if (!error.equals(MemorySegment.NULL)) {
                throw ClickHouseException.fromMessage(error.reinterpret(Long.MAX_VALUE).getString(0));
            }
            long length = (long) lib.resultLength.invokeExact(result);
            if (length == 0) {
                return new byte[0];
            }
            MemorySegment buffer = (MemorySegment) lib.resultBuffer.invokeExact(result);
            return buffer.reinterpret(length).toArray(ValueLayout.JAVA_BYTE);
        } finally {
            lib.destroyResult.invokeExact(result);
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to; closing twice is harmless.
        }
        closeConnection();
    }

    private void closeFromHook() {
        closeConnection();
    }

    private void closeConnection() {
        closeRequested = true;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                lib.closeConn.invokeExact(connectionPtr);
            } catch (Throwable e) {
                throw new IllegalStateException("chdb_close_conn failed", e);
            } finally {
                lib.jvmSignals.restore();
            }
            synchronized (OPEN_LOCK) {
                openPath = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
