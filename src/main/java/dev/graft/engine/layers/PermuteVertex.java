package dev.graft.engine.layers;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Keras's {@code Permute(dims)}: the sample axes reordered, {@code dims} numbering them from 1 (the batch stays first).
 * Any permutation of any rank; DL4J's own permute preprocessor orders more than two axes otherwise than Keras and
 * backpropagates with the forward permutation.
 */
public class PermuteVertex extends KerasTensorOpVertex {
    private int[] dims = new int[0];

    /** For JSON deserialisation (DL4J configurations and zips). */
    public PermuteVertex() {
    }

    public PermuteVertex(int[] dims) {
        this.dims = dims.clone();
    }

    @Override
    protected int inputCount() {
        return 1;
    }

    @Override
    protected SDVariable compute(SameDiff sd, SDVariable[] in, long[][] shapes) {
        int[] order = new int[dims.length + 1];
        for (int i = 0; i < dims.length; i++) order[i + 1] = dims[i];
        return sd.permute(in[0], order);
    }

    @Override
    protected long[] outputShape(long[][] inputs) {
        long[] in = inputs[0];
        if (in.length != dims.length) {
            throw new IllegalArgumentException("Permute dims " + Arrays.toString(dims) + " do not fit per-sample shape " + Arrays.toString(in));
        }
        long[] out = new long[dims.length];
        for (int i = 0; i < dims.length; i++) out[i] = in[dims[i] - 1];
        return out;
    }

    @Override
    public PermuteVertex clone() {
        return withSettingsOf(new PermuteVertex(dims));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PermuteVertex p && Arrays.equals(dims, p.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    public int[] getDims() { return dims.clone(); }
    public void setDims(int[] dims) { this.dims = dims == null ? new int[0] : dims.clone(); }
}
