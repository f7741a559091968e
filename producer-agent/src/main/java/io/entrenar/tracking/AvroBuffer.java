package io.entrenar.tracking;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Growable byte buffer with Avro's binary primitives (zig-zag varints, little-endian doubles,
 * length-prefixed UTF-8), for encoding hot records straight from primitive arrays.
 */
final class AvroBuffer {
    private byte[] bytes;
    private int size;

    AvroBuffer(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** The backing array; valid up to {@link #size()} until the next write grows it. */
    byte[] array() {
        return bytes;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    void writeInt(int n) {
        writeLong(n);
    }

    void writeLong(long n) {
        ensure(10);
        long v = (n << 1) ^ (n >> 63);
        while ((v & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
    }

    void writeDouble(double d) {
        ensure(8);
        long bits = Double.doubleToRawLongBits(d);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (bits >>> (8 * i));
        }
    }

    void writeString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeLong(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
    }

    /** Start of a non-empty array or map block: its item count. Empty ones are just {@link #writeArrayEnd}. */
    void writeBlockCount(int count) {
        if (count > 0) {
            writeLong(count);
        }
    }

    void writeArrayEnd() {
        ensure(1);
        bytes[size++] = 0;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
