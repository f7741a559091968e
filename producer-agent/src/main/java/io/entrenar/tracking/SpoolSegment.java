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

    /** Opens an existing segment and indexes its valid records; a torn tail (crash mid-write) is cut off. */
    static SpoolSegment open(Path file) throws IOException {
        String name = file.getFileName().toString();
        long first = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        SpoolSegment s = new SpoolSegment(file, first, ch);
        long fileSize = ch.size();
        ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER);
        long pos = 0;
        while (pos + FRAME_HEADER <= fileSize) {
            header.clear();
            readFully(ch, header, pos);
            header.flip();
            int len = header.getInt();
            int crc = header.getInt();
            if (len < 0 || pos + FRAME_HEADER + len > fileSize) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(len);
            readFully(ch, payload, pos + FRAME_HEADER);
            if (crc(payload.array(), 0, len) != crc) {
                break;
            }
            s.index((int) pos);
            pos += FRAME_HEADER + len;
        }
        s.truncatedBytes = (int) (fileSize - pos);
        if (pos < fileSize) {
            ch.truncate(pos);
        }
        s.size = pos;
        return s;
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
            throw new IOException("CRC mismatch in " + file + " at offset " + off + " (record " + seq + ")");
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
