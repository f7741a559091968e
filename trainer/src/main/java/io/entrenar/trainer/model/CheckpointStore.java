package io.entrenar.trainer.model;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.tribuo.math.la.Tensor;

import io.entrenar.trainer.listen.Checkpoint;

/**
 * Epoch-boundary checkpoints ({@code ckpt-e00003.bin}): model weights, optimiser state and step,
 * the random generator's state and the run id, tied to the config by a hash of its training
 * parameters. Written with {@link AtomicFiles}; the newest {@code keep_last} are kept. Restoring
 * one and running on gives exactly the series an uninterrupted run produces.
 */
final class CheckpointStore {
    private static final int MAGIC = 0x454E434B; // "ENCK"
    private static final int VERSION = 1;

    private final Path dir;
    private final int keepLast;
    private final String configHash;

    CheckpointStore(Path dir, int keepLast, String configHash) {
        this.dir = dir;
        this.keepLast = keepLast;
        this.configHash = configHash;
    }

    record State(String runId, int epoch, long step, long rngState) {
    }

    Checkpoint write(State state, Tensor[] params, Tensor[][] optimiserState) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(configHash);
            out.writeUTF(state.runId());
            out.writeInt(state.epoch());
            out.writeLong(state.step());
            out.writeLong(state.rngState());
            out.writeInt(params.length);
            for (Tensor t : params) {
                Tensors.write(out, t);
            }
            out.writeInt(optimiserState.length);
            for (Tensor[] group : optimiserState) {
                out.writeInt(group.length);
                for (Tensor t : group) {
                    Tensors.write(out, t);
                }
            }
        }
        byte[] data = bytes.toByteArray();
        Path file = dir.resolve(String.format("ckpt-e%05d.bin", state.epoch()));
        AtomicFiles.write(file, data);
        prune();
        return new Checkpoint(file, state.step(), state.epoch(), AtomicFiles.sha256(data), data.length);
    }

    /** The newest checkpoint written for this config, restored into {@code params} and the optimiser state. */
    Optional<State> restoreLatest(Tensor[] params, Tensor[][] optimiserState) throws IOException {
        for (Path file : newestFirst()) {
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                if (in.readInt() != MAGIC || in.readInt() != VERSION || !in.readUTF().equals(configHash)) {
                    continue;
                }
                State state = new State(in.readUTF(), in.readInt(), in.readLong(), in.readLong());
                int n = in.readInt();
                if (n != params.length) {
                    throw new IOException(file + ": " + n + " parameter tensors, model has " + params.length);
                }
                for (Tensor t : params) {
                    Tensors.read(in, t);
                }
                int groups = in.readInt();
                if (groups != optimiserState.length) {
                    throw new IOException(file + ": optimiser state has " + groups + " groups, expected "
                            + optimiserState.length);
                }
                for (Tensor[] group : optimiserState) {
                    in.readInt();
                    for (Tensor t : group) {
                        Tensors.read(in, t);
                    }
                }
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }

    private List<Path> newestFirst() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list = new ArrayList<>(files
                    .filter(p -> p.getFileName().toString().matches("ckpt-e\\d{5}\\.bin")).sorted().toList());
            java.util.Collections.reverse(list);
            return list;
        }
    }

    private void prune() throws IOException {
        List<Path> all = newestFirst();
        for (int i = keepLast; i < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
        }
    }
}
