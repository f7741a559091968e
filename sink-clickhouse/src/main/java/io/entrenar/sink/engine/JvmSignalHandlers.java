package io.entrenar.sink.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The JVM's handlers of the signals chDB takes over, saved with libc {@code sigaction} before the
 * first chDB call and put back after every chDB call.
 *
 * <p>Why: the JVM relies on its SIGSEGV/SIGBUS/SIGILL/SIGFPE handlers (implicit null checks,
 * stack banging, safepoint polls). chDB installs its own crash handlers, and
 * {@code chdb_set_signal_handlers_enabled(0)} resets these signals to SIG_DFL (also on every
 * {@code chdb_connect}); either way the next implicit null check in Java would kill the JVM with
 * exit code 139.
 */
@SuppressWarnings("restricted") // FFM downcalls into libchdb / libc are the point of this class
final class JvmSignalHandlers {

    /** The signals chDB's {@code chdb_reset_signal_handlers} and crash handlers touch (Linux numbers). */
    private static final int[] SIGNALS = {
        4 /* SIGILL */, 5 /* SIGTRAP */, 6 /* SIGABRT */, 7 /* SIGBUS */, 8 /* SIGFPE */,
        11 /* SIGSEGV */, 20 /* SIGTSTP */, 31 /* SIGSYS */
    };
    /** {@code sizeof(struct sigaction)} is 152 on x86_64 glibc; the slack covers other ABIs. */
    private static final long SIGACTION_BYTES = 256;

    private final MethodHandle sigaction;
    private final MemorySegment saved;

    private JvmSignalHandlers(MethodHandle sigaction, MemorySegment saved) {
        this.sigaction = sigaction;
        this.saved = saved;
    }

    /** Saves the current handlers; call before anything loaded from libchdb runs. */
    static JvmSignalHandlers save() {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find("sigaction")
                .orElseThrow(() -> new IllegalStateException("libc sigaction not found"));
        MethodHandle sigaction = linker.downcallHandle(symbol, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        // Lives as long as the process: the handlers are restored until the JVM exits.
        MemorySegment saved = Arena.global().allocate(SIGACTION_BYTES * SIGNALS.length, 16);
        JvmSignalHandlers handlers = new JvmSignalHandlers(sigaction, saved);
        for (int i = 0; i < SIGNALS.length; i++) {
            handlers.call(SIGNALS[i], MemorySegment.NULL, handlers.slot(i));
        }
        return handlers;
    }

    /** Puts the saved handlers back. A few syscalls; cheap next to any chDB call. */
    void restore() {
        for (int i = 0; i < SIGNALS.length; i++) {
            call(SIGNALS[i], slot(i), MemorySegment.NULL);
        }
    }

    private MemorySegment slot(int i) {
        return saved.asSlice(i * SIGACTION_BYTES, SIGACTION_BYTES);
    }

    private void call(int signal, MemorySegment act, MemorySegment old) {
        int rc;
        try {
            rc = (int) sigaction.invokeExact(signal, act, old);
        } catch (Throwable e) {
            throw new IllegalStateException("sigaction(" + signal + ") failed", e);
        }
        if (rc != 0) {
            throw new IllegalStateException("sigaction(" + signal + ") returned " + rc);
        }
    }
}
