package io.entrenar.tracking;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.entrenar.schemas.Topic;

/**
 * The write-ahead spool of one process: a directory of {@link SpoolSegment}s holding every event
 * until the broker acknowledges it. A lock file marks the directory as owned by a live process;
 * directories whose lock is free belong to dead processes and are replayed by the next one.
 */
final class Spool implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Spool.class);
    static final String LOCK_FILE = ".lock";
    /** "host pid" of the process that created the spool, written before the lock file exists. */
    static final String OWNER_FILE = "owner";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final FsyncPolicy fsync;
    private final int segmentBytes;
    private final long maxBytes;
    private final List<SpoolSegment> segments = new ArrayList<>();
    private long totalBytes;
    private long nextSeq;
    private long lastFsyncNanos = System.nanoTime();
    /** Direct: a heap buffer would be copied into a temporary direct one on every write. */
    private ByteBuffer frame = ByteBuffer.allocateDirect(256 * 1024);
    private static final byte[][] TOPIC_NAMES;

    static {
        Topic[] all = Topic.values();
        TOPIC_NAMES = new byte[all.length][];
        for (Topic t : all) {
            TOPIC_NAMES[t.ordinal()] = t.topicName().getBytes(StandardCharsets.UTF_8);
        }
    }

    private Spool(Path dir, FileChannel lockChannel, FileLock lock, FsyncPolicy fsync, int segmentBytes, long maxBytes) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.fsync = fsync;
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
    }

    /**
     * Creates this process's own spool in {@code dir}. The owner file is written before the lock file
     * exists, so that no scan ever probes a live spool's lock (see {@link #ownedByLiveProcess}).
     */
    static Spool create(Path dir, FsyncPolicy fsync, int segmentBytes, long maxBytes) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(OWNER_FILE), ProcessIdentity.host() + " " + ProcessIdentity.pid() + "\n");
        return open(dir, fsync, segmentBytes, maxBytes)
                .orElseThrow(() -> new IOException("spool directory " + dir + " is locked by another process"));
    }

    /** Creates (or takes over) {@code dir}; empty when another live process holds it. */
    static Optional<Spool> open(Path dir, FsyncPolicy fsync, int segmentBytes, long maxBytes) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            return Optional.empty();
        }
        Spool spool = new Spool(dir, ch, lock, fsync, segmentBytes, maxBytes);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(SpoolSegment::isSegment).sorted().toList()) {
                SpoolSegment s = SpoolSegment.open(f);
                if (s.corruptRegions() > 0) {
                    LOG.error("entrenar spool {}: {} corrupt stretch(es) of {} bytes in {} skipped; the valid records around them are kept",
                            dir, s.corruptRegions(), s.corruptBytes(), f.getFileName());
                }
                if (s.endSeq() == s.firstSeq()) {
                    s.delete();
                    continue;
                }
                spool.segments.add(s);
                spool.totalBytes += s.size();
                spool.nextSeq = s.endSeq();
            }
        }
        return Optional.of(spool);
    }

    /** Process subdirectories of {@code root} not locked by a live process. */
    static List<Path> orphans(Path root, Path except) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                if (!d.equals(except) && Files.exists(d.resolve(LOCK_FILE)) && !ownedByLiveProcess(d)) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    /**
     * Whether the spool's owner file names a live process on this host. Probing such a spool's lock
     * is not harmless: POSIX drops a process's lock on a file when any of its descriptors for that
     * file closes, so a second tracker in the same JVM (the agent's next to the application's) would
     * unlock the first one's spool by probing it, and another process would then take it over.
     * Spools of other hosts (a shared disk) fall back to the lock.
     */
    static boolean ownedByLiveProcess(Path dir) {
        try {
            String[] owner = Files.readString(dir.resolve(OWNER_FILE)).trim().split(" ");
            if (owner.length != 2 || !owner[0].equals(ProcessIdentity.host())) {
                return false;
            }
            long pid = Long.parseLong(owner[1]);
            return pid == ProcessIdentity.pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            // No owner file (a spool from before owner files, or a foreign one): the lock decides.
            return false;
        }
    }

    long append(Outbound out) throws IOException {
        return append(out.topic(), out.key(), out.body(), 0, out.bodyLength());
    }

    /**
     * Appends one event whose body is {@code body[offset, offset + length)}; returns its sequence
     * number. Builds the frame in a reused buffer: spooling allocates no buffer per record.
     */
    long append(Topic topicOf, byte[] key, byte[] body, int offset, int length) throws IOException {
        byte[] topic = TOPIC_NAMES[topicOf.ordinal()];
        int len = 2 + topic.length + 4 + key.length + 4 + length;
        if (totalBytes + len + SpoolSegment.FRAME_HEADER > maxBytes) {
            throw new SpoolFullException("spool " + dir + " reached spool.max.bytes=" + maxBytes, null);
        }
        if (frame.capacity() < SpoolSegment.FRAME_HEADER + len) {
            frame = ByteBuffer.allocateDirect(Math.max(frame.capacity() * 2, SpoolSegment.FRAME_HEADER + len));
        }
        ByteBuffer b = frame.clear().position(SpoolSegment.FRAME_HEADER);
        b.putShort((short) topic.length).put(topic).putInt(key.length).put(key).putInt(length).put(body, offset, length);
        SpoolSegment active = active(len);
        long seq;
        try {
            seq = active.append(b, len);
        } catch (IOException e) {
            throw new SpoolFullException("cannot write to spool " + dir + ": " + e.getMessage(), e);
        }
        totalBytes += SpoolSegment.FRAME_HEADER + len;
        nextSeq = seq + 1;
        if (fsync == FsyncPolicy.ALWAYS) {
            active.force();
        }
        return seq;
    }

    /** The record; a {@link SpoolCorruptException} when it can never be read (bad CRC or layout). */
    Outbound read(long seq) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(segmentOf(seq).read(seq));
        try {
            byte[] topic = new byte[b.getShort()];
            b.get(topic);
            byte[] key = new byte[b.getInt()];
            b.get(key);
            byte[] body = new byte[b.getInt()];
            b.get(body);
            String name = new String(topic, StandardCharsets.UTF_8);
            Topic t = Topic.byName(name).orElseThrow(() -> new SpoolCorruptException("spool record " + seq + " names unknown topic " + name));
            return new Outbound(t, key, body);
        } catch (RuntimeException e) {
            throw new SpoolCorruptException("spool record " + seq + " in " + dir + " is malformed: " + e);
        }
    }

    void ack(long seq) {
        SpoolSegment s = segmentOfOrNull(seq);
        if (s != null) {
            s.ack(seq);
        }
    }

    boolean isAcked(long seq) {
        SpoolSegment s = segmentOfOrNull(seq);
        return s == null || s.isAcked(seq);
    }

    /** Lowest sequence number the broker has not acknowledged, or {@link #endSeq()}. */
    long lowestUnacked() {
        for (SpoolSegment s : segments) {
            long l = s.lowestUnacked();
            if (l < s.endSeq()) {
                return l;
            }
        }
        return nextSeq;
    }

    long firstSeq() {
        return segments.isEmpty() ? nextSeq : segments.get(0).firstSeq();
    }

    long endSeq() {
        return nextSeq;
    }

    /**
     * Deletes fully acknowledged segments below {@code cursor}; rolls the active one first when it is
     * fully acknowledged and older than {@code rollAfterNanos}, which bounds what a crash replays twice.
     */
    void housekeep(long cursor, long rollAfterNanos) throws IOException {
        if (!segments.isEmpty()) {
            SpoolSegment last = segments.get(segments.size() - 1);
            if (last.endSeq() > last.firstSeq() && last.endSeq() <= cursor && last.fullyAcked() && last.ageNanos() > rollAfterNanos) {
                SpoolSegment next = SpoolSegment.create(dir, nextSeq);
                synchronized (segments) {
                    segments.add(next);
                }
            }
        }
        while (segments.size() > 1) {
            SpoolSegment first = segments.get(0);
            if (first.endSeq() <= cursor && first.fullyAcked()) {
                totalBytes -= first.size();
                first.delete();
                synchronized (segments) {
                    segments.remove(0);
                }
            } else {
                break;
            }
        }
    }

    void maybeFsync(long intervalNanos) throws IOException {
        if (fsync == FsyncPolicy.INTERVAL && System.nanoTime() - lastFsyncNanos >= intervalNanos) {
            force();
        }
    }

    void force() throws IOException {
        for (SpoolSegment s : segments) {
            s.force();
        }
        lastFsyncNanos = System.nanoTime();
    }

    long bytes() {
        return totalBytes;
    }

    Path dir() {
        return dir;
    }

    int truncatedBytes() {
        int t = 0;
        for (SpoolSegment s : segments) {
            t += s.truncatedBytes();
        }
        return t;
    }

    boolean fullyAcked() {
        return lowestUnacked() >= nextSeq;
    }

    /** Closes files and releases the lock; a fully acknowledged spool also removes its directory. */
    @Override
    public void close() throws IOException {
        boolean done = fullyAcked();
        if (fsync != FsyncPolicy.NEVER) {
            force();
        }
        for (SpoolSegment s : segments) {
            if (done) {
                s.delete();
            } else {
                s.close();
            }
        }
        segments.clear();
        if (done) {
            Files.deleteIfExists(dir.resolve(LOCK_FILE));
        }
        lock.release();
        lockChannel.close();
        if (done) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // a stray file left by someone else: keep the directory
            }
        }
    }

    private SpoolSegment active(int len) throws IOException {
        SpoolSegment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (last == null || (last.size() > 0 && last.size() + len + SpoolSegment.FRAME_HEADER > segmentBytes)) {
            if (last != null && fsync != FsyncPolicy.NEVER) {
                last.force();
            }
            last = SpoolSegment.create(dir, nextSeq);
            synchronized (segments) {
                segments.add(last);
            }
        }
        return last;
    }

    private SpoolSegment segmentOf(long seq) throws IOException {
        SpoolSegment s = segmentOfOrNull(seq);
        if (s == null) {
            throw new IOException("no spool segment holds record " + seq + " in " + dir);
        }
        return s;
    }

    private SpoolSegment segmentOfOrNull(long seq) {
        // Called from the producer's IO thread too; segments only change on the drain thread, so
        // iterate over a snapshot.
        SpoolSegment[] snapshot;
        synchronized (segments) {
            snapshot = segments.toArray(new SpoolSegment[0]);
        }
        for (int i = snapshot.length - 1; i >= 0; i--) {
            if (snapshot[i].contains(seq)) {
                return snapshot[i];
            }
        }
        return null;
    }
}
