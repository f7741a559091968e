package io.entrenar.tracking;

import java.util.Arrays;

/**
 * The tracker's per-thread rings: each logging thread gets its own {@link PointRing} on its
 * first point, so training threads never contend with each other. The drain thread reads the
 * registry array; rings of threads that died are dropped once drained.
 */
final class PointRings {
    private final int capacity;
    private final ThreadLocal<PointRing> mine = new ThreadLocal<>();
    private volatile PointRing[] all = new PointRing[0];
    /** Points of rings already dropped, so totals stay true. */
    private volatile long retiredLogged;
    private volatile long retiredOverflowed;

    PointRings(int capacity) {
        this.capacity = capacity;
    }

    /** The calling thread's ring, created and registered on its first use. */
    PointRing current() {
        PointRing r = mine.get();
        return r != null ? r : register();
    }

    private synchronized PointRing register() {
        PointRing r = new PointRing(Thread.currentThread(), capacity);
        PointRing[] grown = Arrays.copyOf(all, all.length + 1);
        grown[grown.length - 1] = r;
        all = grown;
        mine.set(r);
        return r;
    }

    PointRing[] all() {
        return all;
    }

    /** Drops the drained rings of dead threads (drain thread, after a drain pass). */
    synchronized void retireDead() {
        PointRing[] current = all;
        int keep = 0;
        for (PointRing r : current) {
            if (r.owner().isAlive() || !r.isEmpty()) {
                keep++;
            }
        }
        if (keep == current.length) {
            return;
        }
        PointRing[] kept = new PointRing[keep];
        int i = 0;
        long logged = retiredLogged;
        long overflowed = retiredOverflowed;
        for (PointRing r : current) {
            if (r.owner().isAlive() || !r.isEmpty()) {
                kept[i++] = r;
            } else {
                logged += r.logged();
                overflowed += r.overflowed();
            }
        }
        retiredLogged = logged;
        retiredOverflowed = overflowed;
        all = kept;
    }

    /** Points ever logged. */
    long logged() {
        long n = retiredLogged;
        for (PointRing r : all) {
            n += r.logged();
        }
        return n;
    }

    /** Points ever logged that found their ring full. */
    long overflowed() {
        long n = retiredOverflowed;
        for (PointRing r : all) {
            n += r.overflowed();
        }
        return n;
    }

    /** Points waiting for the drain thread. */
    long size() {
        long n = 0;
        for (PointRing r : all) {
            n += r.size();
        }
        return n;
    }
}
