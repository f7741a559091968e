package io.entrenar.tracking;

import java.util.Map;

/**
 * A training process for the crash test: logs paced points and reports each hundredth step on
 * stdout, until it is killed with SIGKILL. Args: bootstrap registryUrl spoolDir.
 */
public final class CrashChild {
    public static void main(String[] args) throws Exception {
        Tracker tracker = Tracker.start(Map.of(TrackerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                TrackerConfig.SCHEMA_REGISTRY_URL_CONFIG, args[1], TrackerConfig.SPOOL_DIR_CONFIG, args[2],
                TrackerConfig.SPOOL_FSYNC_CONFIG, "never", TrackerConfig.OUTAGE_AFTER_MS_CONFIG, 300));
        Run run = tracker.experiment("crash").run("victim").start();
        System.out.println("RUN " + run.id());
        System.out.flush();
        Metric loss = run.metric("loss");
        for (long step = 0; ; step++) {
            loss.log(step == 3 ? Double.NaN : 1.0 / (step + 1), step);
            if (step % 100 == 99) {
                System.out.println("LOGGED " + step);
                System.out.flush();
            }
            if (step % 10 == 0) {
                Thread.sleep(1);
            }
        }
    }
}
