package io.entrenar.sink.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Downcall handles into libchdb.so (chDB 26.5's C API, {@code chdb.h}), loaded once per process.
 * Only the functions the engine needs are bound.
 */
@SuppressWarnings("restricted") // FFM downcalls into libchdb / libc are the point of this class
final class ChdbLibrary {

    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;

    private static ChdbLibrary loaded;

    final MethodHandle connect;          // chdb_connection * chdb_connect(int argc, char ** argv)
    final MethodHandle closeConn;        // void chdb_close_conn(chdb_connection * conn)
    final MethodHandle queryN;           // chdb_result * chdb_query_n(conn, q, qlen, fmt, fmtlen)
    final MethodHandle queryWithParamsN; // chdb_result * chdb_query_with_params_n(...)
    final MethodHandle streamQueryWithParamsN; // chdb_result * chdb_stream_query_with_params_n(... as above)
    final MethodHandle streamFetchResult;      // chdb_result * chdb_stream_fetch_result(conn, stream)
    final MethodHandle streamCancelQuery;      // void chdb_stream_cancel_query(conn, stream)
    final MethodHandle resultBuffer;     // char * chdb_result_buffer(chdb_result *)
    final MethodHandle resultLength;     // size_t chdb_result_length(chdb_result *)
    final MethodHandle resultError;      // const char * chdb_result_error(chdb_result *)
    final MethodHandle destroyResult;    // void chdb_destroy_query_result(chdb_result *)
    final MethodHandle setSignalHandlersEnabled; // void chdb_set_signal_handlers_enabled(int)
    final JvmSignalHandlers jvmSignals;

    private ChdbLibrary(Path path) {
        // Saved before the library's static initialisers or any of its functions can touch them.
        jvmSignals = JvmSignalHandlers.save();
        SymbolLookup lib = SymbolLookup.libraryLookup(path, Arena.global());
        jvmSignals.restore();
        Linker linker = Linker.nativeLinker();
        ValueLayout ptr = ValueLayout.ADDRESS;
        connect = bind(linker, lib, "chdb_connect", FunctionDescriptor.of(ptr, ValueLayout.JAVA_INT, ptr));
        closeConn = bind(linker, lib, "chdb_close_conn", FunctionDescriptor.ofVoid(ptr));
        queryN = bind(linker, lib, "chdb_query_n", FunctionDescriptor.of(ptr, ptr, ptr, SIZE_T, ptr, SIZE_T));
        queryWithParamsN = bind(linker, lib, "chdb_query_with_params_n",
                FunctionDescriptor.of(ptr, ptr, ptr, SIZE_T, ptr, SIZE_T, ptr, ptr, ptr, ptr, SIZE_T));
        streamQueryWithParamsN = bind(linker, lib, "chdb_stream_query_with_params_n",
                FunctionDescriptor.of(ptr, ptr, ptr, SIZE_T, ptr, SIZE_T, ptr, ptr, ptr, ptr, SIZE_T));
        streamFetchResult = bind(linker, lib, "chdb_stream_fetch_result", FunctionDescriptor.of(ptr, ptr, ptr));
        streamCancelQuery = bind(linker, lib, "chdb_stream_cancel_query", FunctionDescriptor.ofVoid(ptr, ptr));
        resultBuffer = bind(linker, lib, "chdb_result_buffer", FunctionDescriptor.of(ptr, ptr));
        resultLength = bind(linker, lib, "chdb_result_length", FunctionDescriptor.of(SIZE_T, ptr));
        resultError = bind(linker, lib, "chdb_result_error", FunctionDescriptor.of(ptr, ptr));
        destroyResult = bind(linker, lib, "chdb_destroy_query_result", FunctionDescriptor.ofVoid(ptr));
        setSignalHandlersEnabled = bind(linker, lib, "chdb_set_signal_handlers_enabled",
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        try {
            setSignalHandlersEnabled.invokeExact(0);
        } catch (Throwable e) {
            throw new IllegalStateException("chdb_set_signal_handlers_enabled failed", e);
        } finally {
            jvmSignals.restore();
        }
    }

    static synchronized ChdbLibrary load(Path path) {
        if (loaded == null) {
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("libchdb.so not found at " + path
                        + ": run scripts/setup.sh (or ./entrenar setup), or set chdb.library / ENTRENAR_CHDB_LIB");
            }
            loaded = new ChdbLibrary(path);
        }
        return loaded;
    }

    /** Where scripts/setup.sh puts the library; ENTRENAR_CHDB_LIB overrides. */
    static Path defaultPath() {
        String env = System.getenv("ENTRENAR_CHDB_LIB");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String cache = System.getenv("ENTRENAR_CACHE");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "entrenar");
        return base.resolve("chdb").resolve(ChdbEngine.CHDB_VERSION).resolve("libchdb.so");
    }

    private static MethodHandle bind(Linker linker, SymbolLookup lib, String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = lib.find(name)
                .orElseThrow(() -> new IllegalStateException("libchdb.so has no symbol " + name + " (wrong chDB version?)"));
        return linker.downcallHandle(symbol, descriptor);
    }
}
