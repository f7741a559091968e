package io.entrenar.sink.write;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A growable buffer of rows in ClickHouse's RowBinary format: little-endian fixed-width numbers,
 * LEB128-length-prefixed strings, a null byte before Nullable values, count-prefixed arrays and
 * maps. LowCardinality(String) and Enum-like strings are written as String, DateTime64(6) as the
 * Int64 microseconds, Bool as one byte.
 */
public final class RowBinary {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buf;
    private int pos;

    public RowBinary(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    public int size() {
        return pos;
    }

    public void clear() {
        pos = 0;
    }

    void truncate(int size) {
        if (size < 0 || size > pos) {
            throw new IllegalArgumentException("cannot truncate " + pos + " bytes to " + size);
        }
        pos = size;
    }

    public void writeTo(FileChannel channel) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buf, 0, pos);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    public RowBinary int64(long v) {
        ensure(8);
        LONG.set(buf, pos, v);
        pos += 8;
        return this;
    }

    public RowBinary int32(int v) {
        ensure(4);
        INT.set(buf, pos, v);
        pos += 4;
        return this;
    }

    public RowBinary uint32(int v) {
        return int32(v);
    }

    public RowBinary float64(double v) {
        return int64(Double.doubleToRawLongBits(v));
    }

    public RowBinary bool(boolean v) {
        ensure(1);
        buf[pos++] = (byte) (v ? 1 : 0);
        return this;
    }

    private void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    /** An unsigned LEB128 number, as ClickHouse writes lengths and counts. */
    public RowBinary varuint(long v) {
        varint(v);
        return this;
    }

    public RowBinary string(CharSequence s) {
        String str = s.toString();
        int n = str.length();
        int start = pos;
        varint(n);
        ensure(n);
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            char c = str.charAt(i);
            if (c >= 0x80) {
                ascii = false;
                break;
            }
            buf[pos + i] = (byte) c;
        }
        if (ascii) {
            pos += n;
        } else {
            pos = start;
            byte[] bytes = str.getBytes(StandardCharsets.UTF_8);
            varint(bytes.length);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        }
        return this;
    }

    private boolean isNull(Object v) {
        ensure(1);
        buf[pos++] = (byte) (v == null ? 1 : 0);
        return v == null;
    }

    public RowBinary nullableString(CharSequence s) {
        if (!isNull(s)) {
            string(s);
        }
        return this;
    }

    /** For enums and other values written by their name. */
    public RowBinary nullableName(Object v) {
        return nullableString(v == null ? null : v.toString());
    }

    public RowBinary nullableInt64(Long v) {
        if (!isNull(v)) {
            int64(v);
        }
        return this;
    }

    public RowBinary nullableInt32(Integer v) {
        if (!isNull(v)) {
            int32(v);
        }
        return this;
    }

    public RowBinary nullableFloat64(Double v) {
        if (!isNull(v)) {
            float64(v);
        }
        return this;
    }

    public RowBinary nullableFloat64(Float v) {
        return nullableFloat64(v == null ? null : v.doubleValue());
    }

    public RowBinary nullableBool(Boolean v) {
        if (!isNull(v)) {
            bool(v);
        }
        return this;
    }

    public RowBinary stringArray(List<? extends CharSequence> values) {
        if (values == null) {
            varint(0);
            return this;
        }
        varint(values.size());
        for (CharSequence v : values) {
            string(v);
        }
        return this;
    }

    public RowBinary stringMap(Map<? extends CharSequence, ? extends CharSequence> map) {
        if (map == null) {
            varint(0);
            return this;
        }
        varint(map.size());
        for (Map.Entry<? extends CharSequence, ? extends CharSequence> e : map.entrySet()) {
            string(e.getKey());
            string(e.getValue());
        }
        return this;
    }

    public RowBinary doubleMap(Map<? extends CharSequence, Double> map) {
        if (map == null) {
            varint(0);
            return this;
        }
        varint(map.size());
        for (Map.Entry<? extends CharSequence, Double> e : map.entrySet()) {
            string(e.getKey());
            float64(e.getValue());
        }
        return this;
    }
}
