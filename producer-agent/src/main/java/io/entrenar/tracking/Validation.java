package io.entrenar.tracking;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/** Checks on user-supplied names and values, failing at the call with what is wrong and where. */
final class Validation {
    /** 250 like MLflow's keys, so that whatever an MLflow client logs fits. */
    static final int MAX_NAME = 250;
    static final int MAX_VALUE = 8192;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.\\-][A-Za-z0-9_.:/@\\- ]*");

    private Validation() {
    }

    static String name(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (value.length() > MAX_NAME) {
            throw new IllegalArgumentException(what + " is " + value.length() + " characters, the limit is " + MAX_NAME
                    + ": " + MetricNames.abbreviate(value));
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " contains control characters: " + MetricNames.abbreviate(value));
        }
        return value;
    }

    static String key(String what, String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_NAME || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("invalid " + what + " '" + (key == null ? "null" : MetricNames.abbreviate(key))
                    + "': 1.." + MAX_NAME + " letters, digits, spaces and _ . : / @ -, starting with a letter, digit, _ . or -");
        }
        return key;
    }

    static String value(String what, String value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (value.length() > MAX_VALUE) {
            throw new IllegalArgumentException(what + " is " + value.length() + " characters, the limit is " + MAX_VALUE);
        }
        return value;
    }

    /** A parameter value as canonical text; only strings, numbers, booleans and enums are parameters. */
    static String paramValue(String key, Object value) {
        if (value instanceof String s) {
            return value("param '" + key + "'", s);
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? d.toString() : canonical(BigDecimal.valueOf(d));
        }
        if (value instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? f.toString() : canonical(new BigDecimal(Float.toString(f)));
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return value.toString();
        }
        if (value instanceof BigDecimal b) {
            return canonical(b);
        }
        if (value instanceof java.math.BigInteger || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        throw new IllegalArgumentException("param '" + key + "' has type " + (value == null ? "null" : value.getClass().getName())
                + "; parameters must be String, a number, Boolean or an enum");
    }

    private static String canonical(BigDecimal b) {
        String s = b.stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }
}
