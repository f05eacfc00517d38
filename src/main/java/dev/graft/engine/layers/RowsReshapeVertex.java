package dev.graft.engine.layers;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Keras's {@code Reshape(target_shape)} of a fixed-size tensor of any rank (the batch stays first), in SameDiff:
 * the reshapes the engine puts around a BatchNormalization over another axis than the last (a volume's positions as
 * pixels and back). DL4J's own Reshape import fails on a rank-5 input ("Index 3 out of bounds").
 */
public class RowsReshapeVertex extends KerasTensorOpVertex {
    private long[] target = new long[0];

    /** For JSON deserialisation (DL4J configurations and zips). */
    public RowsReshapeVertex() {
    }

    public RowsReshapeVertex(long[] target) {
        this.target = target.clone();
    }

    @Override
    protected int inputCount() {
        return 1;
    }

    @Override
    protected SDVariable compute(SameDiff sd, SDVariable[] in, long[][] shapes) {
        long[] shape = new long[target.length + 1];
        shape[0] = -1;
        System.arraycopy(target, 0, shape, 1, target.length);
        return in[0].reshape(shape);
    }

    @Override
    protected long[] outputShape(long[][] inputs) {
        long in = 1;
        for (long d : inputs[0]) in *= d;
        long out = 1;
        for (long d : target) out *= d;
        if (in != out) throw new IllegalArgumentException("Reshape to " + Arrays.toString(target) + " does not fit per-sample shape " + Arrays.toString(inputs[0]));
        return target.clone();
    }

    @Override
    public RowsReshapeVertex clone() {
        return withSettingsOf(new RowsReshapeVertex(target));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowsReshapeVertex r && Arrays.equals(target, r.target);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(target);
    }

    public long[] getTarget() { return target.clone(); }
    public void setTarget(long[] target) { this.target = target == null ? new long[0] : target.clone(); }
}
