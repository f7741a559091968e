package io.entrenar.tracking;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Host and pid of this JVM: the producer identity, and what a run's RunSource records (a supervisor matches on it). */
public final class ProcessIdentity {
    private ProcessIdentity() {
    }

    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isEmpty() ? "localhost" : env;
        }
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }

    static String hostAndPid() {
        return host() + ":" + pid();
    }
}
