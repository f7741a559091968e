package io.entrenar.config;

import java.util.Locale;

/** Whether an address names this machine's loopback interface only: the rule for settings that are safe there alone. */
public final class Loopback {
    private Loopback() {
    }

    /** {@code localhost}, {@code 127.x.y.z} or {@code ::1} (bracketed or not); a {@code :port} suffix is ignored. */
    public static boolean host(String hostOrHostPort) {
        String h = hostOrHostPort.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            h = h.substring(1, Math.max(1, h.indexOf(']')));
        } else if (h.indexOf(':') == h.lastIndexOf(':')) {
            h = h.replaceAll(":\\d+$", "");
        }
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
    }
}
