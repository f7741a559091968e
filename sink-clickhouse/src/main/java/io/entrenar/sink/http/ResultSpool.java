package io.entrenar.sink.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A query's answer on its way from the engine to a client: in memory up to {@link #MEMORY_BYTES},
 * then in an owner-only temporary file. The engine is released as soon as the answer is complete,
 * so a slow client never holds it, and a large answer never sits whole on the heap.
 */
final class ResultSpool implements AutoCloseable {

    static final int MEMORY_BYTES = 1 << 20;

    private final Path dir;
    private byte[] memory = new byte[8192];
    private int inMemory;
    private Path file;
    private FileChannel channel;
    private long length;

    ResultSpool(Path dir) {
        this.dir = dir;
    }

    void write(ByteBuffer chunk) throws IOException {
        int n = chunk.remaining();
        if (channel == null && inMemory + (long) n <= MEMORY_BYTES) {
            if (inMemory + n > memory.length) {
                memory = Arrays.copyOf(memory, Math.min(MEMORY_BYTES, Math.max(memory.length * 2, inMemory + n)));
            }
            chunk.get(memory, inMemory, n);
            inMemory += n;
        } else {
            if (channel == null) {
                // Files.createTempFile makes the file readable by its owner only.
                file = Files.createTempFile(dir, "answer-", ".out");
                channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
                channel.write(ByteBuffer.wrap(memory, 0, inMemory));
            }
            while (chunk.hasRemaining()) {
                channel.write(chunk);
            }
        }
        length += n;
    }

    long length() {
        return length;
    }

    /** Whether the whole answer is in memory (at most {@link #MEMORY_BYTES}). */
    boolean inMemory() {
        return channel == null;
    }

    void transferTo(OutputStream out) throws IOException {
        if (channel == null) {
            out.write(memory, 0, inMemory);
            return;
        }
        channel.position(0);
        InputStream in = Channels.newInputStream(channel);
        in.transferTo(out);
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            Files.deleteIfExists(file);
        }
    }
}
