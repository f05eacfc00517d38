package dev.graft.engine.layers;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J activation function that computes one of Keras's ({@link KerasActivationKind}), for the Keras
 * activations DL4J lacks or defines otherwise. Computed in double precision on the host; the row-wise ones
 * ({@code log_softmax}, {@code sparsemax}) take a {@code [batch, features]} array, the only layout the engine
 * hands them (the engine refuses them elsewhere). Like DL4J's own activations it works in place.
 */
public class KerasActivationFunction extends BaseActivationFunction {
    private KerasActivationKind kind;

    /** For JSON deserialisation (DL4J configurations and zips). */
    protected KerasActivationFunction() {
    }

    public KerasActivationFunction(KerasActivationKind kind) {
        this.kind = kind;
    }

    public KerasActivationKind getKind() {
        return kind;
    }

    public void setKind(KerasActivationKind kind) {
        this.kind = kind;
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        double[] z = values(in);
        double[] y = new double[z.length];
        forEachRow(in, z.length, (from, to) -> {
            double[] row = java.util.Arrays.copyOfRange(z, from, to);
            double[] out = new double[row.length];
            kind.rowForward(row, out);
            System.arraycopy(out, 0, y, from, out.length);
        });
        in.assign(Nd4j.createFromArray(y).reshape('c', in.shape()).castTo(in.dataType()));
        return in;
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        double[] z = values(in);
        double[] e = values(epsilon);
        double[] dz = new double[z.length];
        forEachRow(in, z.length, (from, to) -> {
            double[] out = new double[to - from];
            kind.rowBackward(java.util.Arrays.copyOfRange(z, from, to), java.util.Arrays.copyOfRange(e, from, to), out);
            System.arraycopy(out, 0, dz, from, out.length);
        });
        in.assign(Nd4j.createFromArray(dz).reshape('c', in.shape()).castTo(in.dataType()));
        return new Pair<>(in, null);
    }

    private interface RowAction {
        void run(int from, int to);
    }

    /** Element-wise kinds run over everything at once; row-wise ones over each row of a matrix. */
    private void forEachRow(INDArray in, int length, RowAction action) {
        if (kind.elementwise()) {
            action.run(0, length);
            return;
        }
        if (in.rank() != 2) {
            throw new IllegalStateException("activation " + kind.kerasName() + " needs [batch, features], got rank " + in.rank());
        }
        int width = (int) in.size(1);
        for (int from = 0; from < length; from += width) action.run(from, from + width);
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    @Override
    public String toString() {
        return kind.kerasName();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasActivationFunction k && k.kind == kind;
    }

    @Override
    public int hashCode() {
        return kind.hashCode();
    }
}
