package io.entrenar.tracking;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Objects;

import io.entrenar.events.FailureCategory;

/**
 * Why a run failed (spec 20): a stable error code, a category, what happened, what to do about it,
 * and the exception when there is one.
 */
public record FailureContext(String errorCode, FailureCategory category, String diagnostic, String remediation,
                             Throwable cause, Long step, Map<String, String> context) {
    public FailureContext {
        Validation.key("error code", errorCode);
        Objects.requireNonNull(category, "category");
        Validation.value("diagnostic", Objects.requireNonNull(diagnostic, "diagnostic"));
        context = context == null ? Map.of() : Map.copyOf(context);
    }

    public static FailureContext of(String errorCode, FailureCategory category, String diagnostic, String remediation) {
        return new FailureContext(errorCode, category, diagnostic, remediation, null, null, Map.of());
    }

    /** Classifies an exception: OutOfMemoryError is RESOURCE/OOM_HEAP, configuration errors CONFIG, and so on. */
    public static FailureContext fromException(Throwable t) {
        String code;
        FailureCategory cat;
        String fix;
        if (t instanceof OutOfMemoryError) {
            code = "OOM_HEAP";
            cat = FailureCategory.RESOURCE;
            fix = "raise -Xmx or reduce the batch size";
        } else if (t instanceof java.io.FileNotFoundException || t instanceof java.nio.file.NoSuchFileException) {
            code = "FILE_NOT_FOUND";
            cat = FailureCategory.CONFIG;
            fix = "check the configured paths";
        } else if (t instanceof IllegalArgumentException) {
            code = "INVALID_ARGUMENT";
            cat = FailureCategory.CONFIG;
            fix = "check the run's parameters";
        } else if (t instanceof ArithmeticException) {
            code = "ARITHMETIC";
            cat = FailureCategory.MODEL;
            fix = null;
        } else if (t instanceof java.io.IOException) {
            code = "IO_ERROR";
            cat = FailureCategory.INFRA;
            fix = null;
        } else {
            code = "UNCAUGHT_" + t.getClass().getSimpleName().replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
            cat = FailureCategory.CODE;
            fix = null;
        }
        String msg = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        return new FailureContext(code, cat, msg.length() > Validation.MAX_VALUE ? msg.substring(0, Validation.MAX_VALUE) : msg,
                fix, t, null, Map.of());
    }

    String stackTrace() {
        if (cause == null) {
            return null;
        }
        StringWriter w = new StringWriter();
        cause.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 64 * 1024 ? s.substring(0, 64 * 1024) : s;
    }
}
