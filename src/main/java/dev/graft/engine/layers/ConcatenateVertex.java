package dev.graft.engine.layers;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Keras's {@code Concatenate} for tensors of any rank, computed by SameDiff (which differentiates it). Training puts it in
 * the place of DL4J's {@code MergeVertex} where that joins tensors of rank 5 or more (a {@code Bidirectional(ConvLSTM2D)}
 * returning sequences, computed as its halves): DL4J's merge computes them forward but its backward pass takes ranks 2
 * to 4 only ("Invalid rank during forward pass").
 */
public class ConcatenateVertex extends KerasTensorOpVertex {
    private int inputs;
    /** The axis counted from the front, the batch axis 0. */
    private int axis;

    /** For JSON deserialisation (DL4J configurations and zips). */
    public ConcatenateVertex() {
    }

    public ConcatenateVertex(int inputs, int axis) {
        if (inputs < 1 || axis < 1) throw new IllegalArgumentException("Concatenate of " + inputs + " tensors along axis " + axis);
        this.inputs = inputs;
        this.axis = axis;
    }

    @Override
    protected int inputCount() {
        return inputs;
    }

    @Override
    protected SDVariable compute(SameDiff sd, SDVariable[] in, long[][] shapes) {
        return sd.concat(axis, in);
    }

    @Override
    protected long[] outputShape(long[][] in) {
        long[] out = in[0].clone();
        int a = axis - 1;
        if (a >= out.length) throw new IllegalArgumentException("Concatenate along axis " + axis + " of per-sample shape " + Arrays.toString(out));
        for (int i = 1; i < in.length; i++) out[a] = out[a] < 0 || in[i][a] < 0 ? -1 : out[a] + in[i][a];
        return out;
    }

    @Override
    public ConcatenateVertex clone() {
        return withSettingsOf(new ConcatenateVertex(inputs, axis));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConcatenateVertex c && c.inputs == inputs && c.axis == axis;
    }

    @Override
    public int hashCode() {
        return 31 * inputs + axis;
    }

    public int getInputs() { return inputs; }
    public void setInputs(int inputs) { this.inputs = inputs; }
    public int getAxis() { return axis; }
    public void setAxis(int axis) { this.axis = axis; }
}
