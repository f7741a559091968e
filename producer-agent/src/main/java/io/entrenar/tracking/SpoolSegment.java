package io.entrenar.tracking;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.BitSet;
import java.util.zip.CRC32C;

/**
 * One append-only spool file: records framed as {@code [int length][int crc32c][payload]}. The file
 * is named after the sequence number of its first record. In memory it keeps each record's offset
 * and which records the broker has acknowledged; once every record is acknowledged the file can go.
 */
final class SpoolSegment implements AutoCloseable {
    static final String SUFFIX = ".seg";
    static final int FRAME_HEADER = 8;
    /** The smallest payload {@code Spool} writes: topic length (2), key length (4), body length (4). */
    static final int MIN_PAYLOAD = 10;

    private final Path file;
    private final long firstSeq;
    private final FileChannel channel;
    private int[] offsets = new int[256];
    private int count;
    private long size;
    private final BitSet acked = new BitSet();
    private int ackedCount;
    private final long createdNanos = System.nanoTime();
    private boolean dirty;
    private int truncatedBytes;
    private long corruptBytes;
    private int corruptRegions;
    private final CRC32C crc32c = new CRC32C();

    private SpoolSegment(Path file, long firstSeq, FileChannel channel) {
        this.file = file;
        this.firstSeq = firstSeq;
        this.channel = channel;
    }

    static SpoolSegment create(Path dir, long firstSeq) throws IOException {
        Path file = dir.resolve(String.format("%020d%s", firstSeq, SUFFIX));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        return new SpoolSegment(file, firstSeq, ch);
    }

    /**
     * Opens an existing segment and indexes its valid records. A frame that does not check out (bad
     * length or CRC: a bit flip, a zeroed block) is skipped up to the next frame that does, so the
     * valid records after it are kept; only a torn tail (a crash mid-write, nothing valid after it)
     * is cut off.
     */
    static SpoolSegment open(Path file) throws IOException {
        String name = file.getFileName().toString();
        long first = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        SpoolSegment s = new SpoolSegment(file, first, ch);
        long fileSize = ch.size();
        if (fileSize > Integer.MAX_VALUE) {
            ch.close();
            throw new IOException("spool segment " + file + " is " + fileSize + " bytes; segments stay below 2 GiB");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) fileSize);
        readFully(ch, bytes, 0);
        int pos = 0;
        int end = 0;
        while (pos + FRAME_HEADER <= fileSize) {
            int len = frameLength(bytes, pos);
            if (len >= 0) {
                s.index(pos);
                pos += FRAME_HEADER + len;
                end = pos;
                continue;
            }
            int next = pos + 1;
            while (next + FRAME_HEADER <= fileSize && frameLength(bytes, next) < 0) {
                next++;
            }
            if (next + FRAME_HEADER > fileSize) {
                break; // nothing valid after it: a torn tail
            }
            s.corruptBytes += next - pos;
            s.corruptRegions++;
            pos = next;
        }
        s.truncatedBytes = (int) (fileSize - end);
        if (end < fileSize) {
            ch.truncate(end);
        }
        s.size = end;
        return s;
    }

    /**
     * The payload length of a frame that checks out at {@code pos}, else -1. Every record the spool
     * writes has a topic, key and body header, so a zero or tiny length (a zeroed block) is no frame.
     */
    private static int frameLength(ByteBuffer bytes, int pos) {
        int len = bytes.getInt(pos);
        if (len < MIN_PAYLOAD || len > bytes.capacity() - pos - FRAME_HEADER) {
            return -1;
        }
        CRC32C c = new CRC32C();
        c.update(bytes.slice(pos + FRAME_HEADER, len));
        return (int) c.getValue() == bytes.getInt(pos + 4) ? len : -1;
    }

    static boolean isSegment(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(SUFFIX) && n.length() == 20 + SUFFIX.length();
    }

    /**
     * Appends one record whose payload sits in {@code frame} right after {@link #FRAME_HEADER}
     * bytes left free for the length and CRC; returns its sequence number.
     */
    long append(ByteBuffer frame, int length) throws IOException {
        crc32c.reset();
        crc32c.update(frame.slice(FRAME_HEADER, length));
        frame.putInt(0, length).putInt(4, (int) crc32c.getValue());
        frame.position(0).limit(FRAME_HEADER + length);
        long at = size;
        while (frame.hasRemaining()) {
            channel.write(frame, at + frame.position());
        }
        index((int) at);
        size += FRAME_HEADER + length;
        dirty = true;
        return firstSeq + count - 1;
    }

    byte[] read(long seq) throws IOException {
        int i = (int) (seq - firstSeq);
        int off = offsets[i];
        ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER);
        readFully(channel, header, off);
        header.flip();
        int len = header.getInt();
        int crc = header.getInt();
        ByteBuffer payload = ByteBuffer.allocate(len);
        readFully(channel, payload, off + FRAME_HEADER);
        if (crc(payload.array(), 0, len) != crc) {
            throw new SpoolCorruptException("CRC mismatch in " + file + " at offset " + off + " (record " + seq + ")");
        }
        return payload.array();
    }

    void force() throws IOException {
        if (dirty) {
            channel.force(false);
            dirty = false;
        }
    }

    synchronized void ack(long seq) {
        int i = (int) (seq - firstSeq);
        if (!acked.get(i)) {
            acked.set(i);
            ackedCount++;
        }
    }

    synchronized boolean isAcked(long seq) {
        return acked.get((int) (seq - firstSeq));
    }

    synchronized boolean fullyAcked() {
        return ackedCount == count;
    }

    /** Lowest unacknowledged sequence number, or {@link #endSeq()} when all are acknowledged. */
    synchronized long lowestUnacked() {
        int i = acked.nextClearBit(0);
        return firstSeq + Math.min(i, count);
    }

    boolean contains(long seq) {
        return seq >= firstSeq && seq < firstSeq + count;
    }

    long firstSeq() {
        return firstSeq;
    }

    long endSeq() {
        return firstSeq + count;
    }

    long size() {
        return size;
    }

    int truncatedBytes() {
        return truncatedBytes;
    }

    /** Bytes of frames that did not check out when the segment was opened, skipped. */
    long corruptBytes() {
        return corruptBytes;
    }

    /** How many such stretches were skipped: at least one record lost each. */
    int corruptRegions() {
        return corruptRegions;
    }

    long ageNanos() {
        return System.nanoTime() - createdNanos;
    }

    Path file() {
        return file;
    }

    void delete() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            channel.close();
        }
    }

    private void index(int offset) {
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
        }
        offsets[count++] = offset;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of spool segment");
            }
        }
    }

    static int crc(byte[] data, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(data, off, len);
        return (int) c.getValue();
    }
}
