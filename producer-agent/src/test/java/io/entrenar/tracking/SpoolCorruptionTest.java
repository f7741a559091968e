package io.entrenar.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.entrenar.schemas.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spool on a disk that corrupted some of it: every record that still checks out is kept and read
 * back, the corrupt ones are skipped (counted), and a record that goes bad after opening is reported
 * as corrupt, so the shipper drops it instead of retrying it for ever.
 */
class SpoolCorruptionTest {
    private static final int RECORDS = 10;

    @TempDir
    Path dir;

    @Test
    void corruptFramesInTheMiddleAreSkippedAndEveryValidRecordAfterThemIsKept() throws IOException {
        List<Long> offsets = write();
        Path segment = onlySegment();
        // record 4: a flipped payload byte (bad CRC); record 7: its header zeroed (a zeroed block);
        // then a torn tail, as a crash mid-write leaves it
        flip(segment, offsets.get(3) + SpoolSegment.FRAME_HEADER + 5);
        overwrite(segment, offsets.get(6), new byte[SpoolSegment.FRAME_HEADER]);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 100, 1, 2, 3}));
        }

        try (Spool spool = Spool.open(dir, FsyncPolicy.NEVER, 1 << 20, 1 << 30).orElseThrow()) {
            List<String> bodies = new ArrayList<>();
            for (long seq = spool.firstSeq(); seq < spool.endSeq(); seq++) {
                Outbound out = spool.read(seq);
                assertEquals(Topic.METRICS, out.topic());
                bodies.add(new String(out.body(), StandardCharsets.UTF_8));
            }
            assertEquals(List.of("body-0", "body-1", "body-2", "body-4", "body-5", "body-7", "body-8", "body-9"), bodies,
                    "the two corrupt records are skipped, nothing after them is lost");
            assertEquals(7, spool.truncatedBytes(), "only the torn tail is cut off");
            long appended = spool.append(new Outbound(Topic.METRICS, "k".getBytes(StandardCharsets.UTF_8), "after".getBytes(StandardCharsets.UTF_8)));
            assertArrayEquals("after".getBytes(StandardCharsets.UTF_8), spool.read(appended).body(), "and the spool takes new records");
        }
    }

    @Test
    void aRecordThatGoesBadAfterOpeningIsCorruptNotAnIoErrorToRetry() throws IOException {
        List<Long> offsets = write();
        try (Spool spool = Spool.open(dir, FsyncPolicy.NEVER, 1 << 20, 1 << 30).orElseThrow()) {
            flip(onlySegment(), offsets.get(2) + SpoolSegment.FRAME_HEADER + 3);
            long bad = spool.firstSeq() + 2;
            SpoolCorruptException e = assertThrows(SpoolCorruptException.class, () -> spool.read(bad));
            assertTrue(e.getMessage().contains("CRC mismatch"), e.getMessage());
            assertEquals("body-3", new String(spool.read(bad + 1).body(), StandardCharsets.UTF_8), "its neighbours read fine");
        }
    }

    @Test
    void randomByteFlipsAcrossARealSpoolLoseExactlyTheFramesTheyHit() throws IOException {
        java.util.Random random = new java.util.Random(20261207);
        for (int round = 0; round < 20; round++) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            int frames = 200;
            List<long[]> spans = new ArrayList<>(); // [start, end) of each frame
            long at = 0;
            try (Spool spool = Spool.open(dir, FsyncPolicy.NEVER, 1 << 22, 1 << 30).orElseThrow()) {
                for (int i = 0; i < frames; i++) {
                    byte[] key = ("run-" + i).getBytes(StandardCharsets.UTF_8);
                    byte[] body = ("body-" + i + "-" + "x".repeat(random.nextInt(200))).getBytes(StandardCharsets.UTF_8);
                    spool.append(new Outbound(Topic.METRICS, key, body));
                    long end = at + SpoolSegment.FRAME_HEADER + 2 + Topic.METRICS.topicName().length() + 4 + key.length + 4 + body.length;
                    spans.add(new long[] {at, end});
                    at = end;
                }
            }
            Path segment = onlySegment();
            java.util.Set<Integer> hit = new java.util.TreeSet<>();
            java.util.Set<Long> offsets = new java.util.TreeSet<>(); // distinct: a byte flipped twice is intact again
            int flips = 1 + random.nextInt(8);
            while (offsets.size() < flips) {
                offsets.add((long) (random.nextDouble() * at));
            }
            for (long offset : offsets) {
                flip(segment, offset);
                for (int i = 0; i < frames; i++) {
                    if (offset >= spans.get(i)[0] && offset < spans.get(i)[1]) {
                        hit.add(i);
                    }
                }
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                if (!hit.contains(i)) {
                    expected.add("run-" + i);
                }
            }
            List<String> read = new ArrayList<>();
            try (Spool spool = Spool.open(dir, FsyncPolicy.NEVER, 1 << 22, 1 << 30).orElseThrow()) {
                for (long seq = spool.firstSeq(); seq < spool.endSeq(); seq++) {
                    read.add(new String(spool.read(seq).key(), StandardCharsets.UTF_8));
                }
            }
            assertEquals(expected, read, "round " + round + ": every intact frame once, in order; the flipped ones " + hit + " skipped");
        }
    }

    /** Writes RECORDS records and returns each frame's offset in the one segment. */
    private List<Long> write() throws IOException {
        List<Long> offsets = new ArrayList<>();
        long at = 0;
        try (Spool spool = Spool.open(dir, FsyncPolicy.ALWAYS, 1 << 20, 1 << 30).orElseThrow()) {
            for (int i = 0; i < RECORDS; i++) {
                byte[] key = ("run-" + i).getBytes(StandardCharsets.UTF_8);
                byte[] body = ("body-" + i).getBytes(StandardCharsets.UTF_8);
                spool.append(new Outbound(Topic.METRICS, key, body));
                offsets.add(at);
                at += SpoolSegment.FRAME_HEADER + 2 + Topic.METRICS.topicName().length() + 4 + key.length + 4 + body.length;
            }
        }
        assertEquals(at, Files.size(onlySegment()), "the frames laid out as expected");
        return offsets;
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> segments = files.filter(SpoolSegment::isSegment).toList();
            assertEquals(1, segments.size(), segments.toString());
            return segments.get(0);
        }
    }

    private static void flip(Path file, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).position(0);
            ch.write(b, at);
        }
    }

    private static void overwrite(Path file, long at, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), at);
        }
    }
}
