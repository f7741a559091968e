package io.entrenar.tracking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Growable byte buffer with Avro's binary primitives (zig-zag varints, little-endian doubles,
 * length-prefixed UTF-8), for encoding hot records straight from primitive arrays.
 */
final class AvroBuffer {
    /** Eight bytes at once, little-endian: a double's bits, or a varint of up to 8 bytes with its continuation bits. */
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Bytes of the varint of a value with this many leading zero bits. */
    private static final byte[] VARINT_LENGTH = new byte[65];
    /**
     * Slack kept past {@link #size} by the bulk writers: a short varint is stored as a full 8-byte
     * word whose tail the next write overwrites.
     */
    private static final int WORD_SLACK = 8;

    static {
        for (int leadingZeros = 0; leadingZeros <= 64; leadingZeros++) {
            VARINT_LENGTH[leadingZeros] = (byte) Math.max(1, (64 - leadingZeros + 6) / 7);
        }
    }

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

    /**
     * Writes {@code count} longs, {@code values[offset]}, {@code values[offset + stride]}, ..., as an
     * array block's items (a column of points laid out in rows). The batch columns are the drain
     * thread's main work (timestamps in micros take 8 varint bytes each), so the varints are built
     * in a register and stored as one word instead of byte by byte.
     */
    void writeLongs(long[] values, int offset, int stride, int count) {
        ensure(count * 10 + WORD_SLACK);
        byte[] b = bytes;
        int pos = size;
        for (int i = 0, k = offset; i < count; i++, k += stride) {
            pos = putVarLong(b, pos, values[k]);
        }
        size = pos;
    }

    /** Writes {@code count} ints as an array block's items. */
    void writeInts(int[] values, int count) {
        ensure(count * 5 + WORD_SLACK);
        byte[] b = bytes;
        int pos = size;
        for (int i = 0; i < count; i++) {
            pos = putVarLong(b, pos, values[i]);
        }
        size = pos;
    }

    /** Writes {@code count} doubles given as their raw bits, strided like {@link #writeLongs}, as an array block's items. */
    void writeRawLongs(long[] bits, int offset, int stride, int count) {
        ensure(count * 8);
        byte[] b = bytes;
        int pos = size;
        for (int i = 0, k = offset; i < count; i++, k += stride) {
            LONG_LE.set(b, pos, bits[k]);
            pos += 8;
        }
        size = pos;
    }

    /** Zig-zag varint of {@code n} at {@code pos}; needs 10 bytes (or 8 + {@link #WORD_SLACK}) of room. */
    private static int putVarLong(byte[] b, int pos, long n) {
        long v = (n << 1) ^ (n >> 63);
        if ((v >>> 56) != 0) {
            while ((v & ~0x7FL) != 0) {
                b[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            b[pos++] = (byte) v;
            return pos;
        }
        int length = VARINT_LENGTH[Long.numberOfLeadingZeros(v)];
        // 7-bit groups spread to one per byte, then the continuation bit on every byte but the last
        long word = (v & 0x7FL)
                | ((v << 1) & (0x7FL << 8))
                | ((v << 2) & (0x7FL << 16))
                | ((v << 3) & (0x7FL << 24))
                | ((v << 4) & (0x7FL << 32))
                | ((v << 5) & (0x7FL << 40))
                | ((v << 6) & (0x7FL << 48))
                | ((v << 7) & (0x7FL << 56));
        word |= 0x8080808080808080L & ((1L << (8 * (length - 1))) - 1);
        LONG_LE.set(b, pos, word);
        return pos + length;
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
