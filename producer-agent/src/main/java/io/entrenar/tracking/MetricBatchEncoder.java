package io.entrenar.tracking;

import java.util.Arrays;

/**
 * Encodes a MetricBatch in Avro binary straight from the drain thread's points ({@link PointSlots}
 * layout, times already in wall micros), field by field in schema order, each column read with a
 * stride. The generated class would box every value into a List; the bytes are the same (checked
 * by a test against the generated class and Avro's own writer).
 */
final class MetricBatchEncoder {
    private final AvroBuffer out = new AvroBuffer(64 * 1024);
    private int[] localIdOf = new int[64];
    private int[] usedGlobal = new int[64];
    /** The batch's name ids in the batch's own dictionary; grown to the largest batch once. */
    private int[] localIds = new int[0];

    MetricBatchEncoder() {
        Arrays.fill(localIdOf, -1);
    }

    /** The encoded body of one batch of {@code count} points, as a fresh array. */
    byte[] encode(String eventId, String runId, long tsMicros, long lamport, String producerId, long sequence,
                  MetricNames names, long[] points, int count) {
        int n = encodeInPlace(eventId, runId, tsMicros, lamport, producerId, sequence, names, points, count);
        return Arrays.copyOf(buffer(), n);
    }

    /**
     * Encodes one batch into the encoder's reused buffer ({@link #buffer()}, valid until the next
     * call) and returns its length: the drain thread's path, which allocates nothing.
     */
    int encodeInPlace(String eventId, String runId, long tsMicros, long lamport, String producerId, long sequence,
                  MetricNames names, long[] points, int count) {
        out.reset();
        out.writeString(eventId);
        out.writeString(runId);
        out.writeLong(tsMicros);
        out.writeLong(lamport);
        out.writeString(producerId);
        out.writeLong(sequence);

        int distinct = 0;
        for (int i = 0; i < count; i++) {
            int g = PointSlots.name(points, i);
            if (g >= localIdOf.length) {
                int old = localIdOf.length;
                localIdOf = Arrays.copyOf(localIdOf, Math.max(old * 2, g + 1));
                Arrays.fill(localIdOf, old, localIdOf.length, -1);
            }
            if (localIdOf[g] < 0) {
                if (distinct == usedGlobal.length) {
                    usedGlobal = Arrays.copyOf(usedGlobal, distinct * 2);
                }
                localIdOf[g] = distinct;
                usedGlobal[distinct++] = g;
            }
        }
        out.writeBlockCount(distinct);
        for (int i = 0; i < distinct; i++) {
            out.writeString(names.name(usedGlobal[i]));
        }
        out.writeArrayEnd();

        if (localIds.length < count) {
            localIds = new int[Math.max(count, localIds.length * 2)];
        }
        for (int i = 0; i < count; i++) {
            localIds[i] = localIdOf[PointSlots.name(points, i)];
        }
        out.writeBlockCount(count);
        out.writeInts(localIds, count);
        out.writeArrayEnd();
        out.writeBlockCount(count);
        out.writeLongs(points, PointSlots.STEP, PointSlots.LONGS, count);
        out.writeArrayEnd();
        out.writeBlockCount(count);
        out.writeRawLongs(points, PointSlots.VALUE_BITS, PointSlots.LONGS, count);
        out.writeArrayEnd();
        out.writeBlockCount(count);
        out.writeLongs(points, PointSlots.TIME, PointSlots.LONGS, count);
        out.writeArrayEnd();

        for (int i = 0; i < distinct; i++) {
            localIdOf[usedGlobal[i]] = -1;
        }
        return out.size();
    }

    byte[] buffer() {
        return out.array();
    }
}
