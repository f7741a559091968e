package io.entrenar.tracking;

import java.util.Arrays;

/** Run ids by the small index the ring carries instead of a reference. */
final class RunTable {
    private volatile String[] ids = new String[16];
    private int count;

    synchronized int add(String runId) {
        String[] current = ids;
        if (count == current.length) {
            current = Arrays.copyOf(current, count * 2);
        }
        current[count] = runId;
        ids = current; // volatile write publishes the element
        return count++;
    }

    String runId(int index) {
        return ids[index];
    }
}
