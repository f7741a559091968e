package io.entrenar.tracking;

/** When spool appends are forced to the disk. */
enum FsyncPolicy {
    ALWAYS, INTERVAL, NEVER
}
