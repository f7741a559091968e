package io.entrenar.trainer.model;

import org.tribuo.math.Parameters;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.Tensor;
import org.tribuo.math.protos.ParametersProto;

/**
 * An MLP's weights as Tribuo {@link Parameters}: {@code [W1, b1, W2, b2, ...]}, W as
 * {@code out x in} {@link DenseMatrix}, b as {@link DenseVector}, so that Tribuo-style optimisers can
 * initialise their state from it.
 */
final class MlpParameters implements Parameters {
    private static final long serialVersionUID = 1L;
    private final Tensor[] tensors;

    MlpParameters(int[] widths) {
        tensors = new Tensor[2 * (widths.length - 1)];
        for (int l = 0; l + 1 < widths.length; l++) {
            tensors[2 * l] = new DenseMatrix(widths[l + 1], widths[l]);
            tensors[2 * l + 1] = new DenseVector(widths[l + 1]);
        }
    }

    DenseMatrix weight(int layer) {
        return (DenseMatrix) tensors[2 * layer];
    }

    DenseVector bias(int layer) {
        return (DenseVector) tensors[2 * layer + 1];
    }

    @Override
    public Tensor[] getEmptyCopy() {
        Tensor[] copy = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            copy[i] = tensors[i] instanceof DenseMatrix m ? new DenseMatrix(m.getDimension1Size(), m.getDimension2Size())
                    : new DenseVector(((DenseVector) tensors[i]).size());
        }
        return copy;
    }

    @Override
    public Tensor[] get() {
        return tensors;
    }

    @Override
    public void set(Tensor[] newTensors) {
        if (newTensors.length != tensors.length) {
            throw new IllegalArgumentException("expected " + tensors.length + " tensors, got " + newTensors.length);
        }
        for (int i = 0; i < tensors.length; i++) {
            tensors[i].scaleInPlace(0);
            tensors[i].intersectAndAddInPlace(newTensors[i]);
        }
    }

    @Override
    public void update(Tensor[] deltas) {
        for (int i = 0; i < tensors.length; i++) {
            tensors[i].intersectAndAddInPlace(deltas[i]);
        }
    }

    @Override
    public Tensor[] merge(Tensor[][] gradients, int size) {
        Tensor[] sum = getEmptyCopy();
        for (int n = 0; n < size; n++) {
            for (int i = 0; i < sum.length; i++) {
                sum[i].intersectAndAddInPlace(gradients[n][i]);
            }
        }
        return sum;
    }

    /**
     * Not supported: Tribuo's protobuf registry only knows its own parameter classes. The trainer
     * persists MLP weights in its own canonical format ({@code ModelFile}), used for checkpoints too.
     */
    @Override
    public ParametersProto serialize() {
        throw new UnsupportedOperationException("MLP weights are stored by ModelFile, not Tribuo protobuf");
    }
}
