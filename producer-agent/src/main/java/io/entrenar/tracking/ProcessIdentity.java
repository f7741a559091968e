package io.entrenar.tracking;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Host and pid of this JVM, the default producer identity. */
final class ProcessIdentity {
    private ProcessIdentity() {
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isEmpty() ? "localhost" : env;
        }
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    static String hostAndPid() {
        return host() + ":" + pid();
    }
}
