package io.entrenar.trainer.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.Tensor;

/** Writes and reads dense tensors as shape + IEEE-754 bits: exact, platform-independent, canonical. */
final class Tensors {
    private Tensors() {
    }

    static void write(DataOutput out, Tensor t) throws IOException {
        if (t instanceof DenseMatrix m) {
            out.writeByte(2);
            out.writeInt(m.getDimension1Size());
            out.writeInt(m.getDimension2Size());
            for (int i = 0; i < m.getDimension1Size(); i++) {
                for (int j = 0; j < m.getDimension2Size(); j++) {
                    out.writeDouble(m.get(i, j));
                }
            }
        } else if (t instanceof DenseVector v) {
            out.writeByte(1);
            out.writeInt(v.size());
            for (int i = 0; i < v.size(); i++) {
                out.writeDouble(v.get(i));
            }
        } else {
            throw new IllegalArgumentException("unsupported tensor " + t.getClass().getName());
        }
    }

    /** Reads into {@code into}, which must have the stored shape. */
    static void read(DataInput in, Tensor into) throws IOException {
        int rank = in.readByte();
        if (into instanceof DenseMatrix m && rank == 2) {
            int r = in.readInt();
            int c = in.readInt();
            if (r != m.getDimension1Size() || c != m.getDimension2Size()) {
                throw new IOException("shape " + r + "x" + c + " does not match the model's "
                        + m.getDimension1Size() + "x" + m.getDimension2Size());
            }
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    m.set(i, j, in.readDouble());
                }
            }
        } else if (into instanceof DenseVector v && rank == 1) {
            int n = in.readInt();
            if (n != v.size()) {
                throw new IOException("length " + n + " does not match the model's " + v.size());
            }
            for (int i = 0; i < n; i++) {
                v.set(i, in.readDouble());
            }
        } else {
            throw new IOException("rank " + rank + " does not match " + into.getClass().getSimpleName());
        }
    }
}
