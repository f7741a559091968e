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
 * Checkpoints ({@code ckpt-s0000000120.bin}, by optimiser step): model weights, optimiser state
 * and step, the random generator's state, the run id and, when taken inside an epoch, that epoch's
 * example order, position and running loss; tied to the config by a hash of its training
 * parameters. Written with {@link AtomicFiles}; the newest {@code keep_last} are kept. Restoring
 * one and running on gives exactly the series an uninterrupted run produces.
 */
final class CheckpointStore {
    private static final int MAGIC = 0x454E434B; // "ENCK"
    private static final int VERSION = 2;

    private final Path dir;
    private final int keepLast;
    private final String configHash;

    CheckpointStore(Path dir, int keepLast, String configHash) {
        this.dir = dir;
        this.keepLast = keepLast;
        this.configHash = configHash;
    }

    /**
     * @param epoch completed epochs
     * @param order the current epoch's example order when taken mid-epoch, else null
     */
    record State(String runId, int epoch, long step, long rngState, int[] order, int position, double epochLoss,
            int epochRows) {
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
            out.writeInt(state.order() == null ? -1 : state.order().length);
            if (state.order() != null) {
                for (int i : state.order()) {
                    out.writeInt(i);
                }
            }
            out.writeInt(state.position());
            out.writeDouble(state.epochLoss());
            out.writeInt(state.epochRows());
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
        Path file = dir.resolve(String.format("ckpt-s%010d.bin", state.step()));
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
                String runId = in.readUTF();
                int epoch = in.readInt();
                long step = in.readLong();
                long rng = in.readLong();
                int orderLength = in.readInt();
                int[] order = orderLength < 0 ? null : new int[orderLength];
                for (int i = 0; order != null && i < orderLength; i++) {
                    order[i] = in.readInt();
                }
                State state = new State(runId, epoch, step, rng, order, in.readInt(), in.readDouble(), in.readInt());
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
                    .filter(p -> p.getFileName().toString().matches("ckpt-s\\d{10}\\.bin")).sorted().toList());
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
