package io.entrenar.sink.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error reported by ClickHouse (chDB or a server), with ClickHouse's error code (e.g. 60 =
 * UNKNOWN_TABLE, 62 = SYNTAX_ERROR) and message.
 */
public final class ClickHouseException extends RuntimeException {

    /** Our own code for errors that happen before ClickHouse sees the statement. */
    public static final int CLIENT_ERROR = 0;
    /** ClickHouse's code for a statement that a server refuses (e.g. several statements at once). */
    public static final int SYNTAX_ERROR = 62;

    private static final Pattern CODE = Pattern.compile("Code:\\s*(\\d+)");

    private final int code;

    public ClickHouseException(int code, String message) {
        super(message);
        this.code = code;
    }

    public ClickHouseException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Reads the code from ClickHouse's {@code Code: N. DB::Exception: ...} text. */
    public static ClickHouseException fromMessage(String message) {
        String text = message.strip();
        Matcher m = CODE.matcher(text);
        int code = m.find() ? Integer.parseInt(m.group(1)) : CLIENT_ERROR;
        return new ClickHouseException(code, text);
    }

    public int code() {
        return code;
    }
}
