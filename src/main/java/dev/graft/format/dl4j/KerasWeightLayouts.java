package dev.graft.format.dl4j;

import dev.graft.model.HostArray;

/**
 * DL4J parameter arrays rearranged into the layout Keras stores the same weights in. Every value is
 * moved, never computed: a permutation copies each element's bits, so a translated weight holds
 * exactly the numbers DL4J computed with.
 */
final class KerasWeightLayouts {
    private KerasWeightLayouts() {
    }

    /** A DL4J row vector {@code [1, n]} (biases) as Keras's {@code (n,)}: the same data, another shape. */
    static HostArray vector(HostArray a) {
        return a.reshape(a.size());
    }

    /**
     * The array with its axes reordered: axis {@code d} of the result is axis {@code axes[d]} of
     * the source (numpy's {@code transpose(axes)}).
     */
    static HostArray permute(HostArray a, int... axes) {
        long[] from = a.shape();
        int rank = from.length;
        if (axes.length != rank) throw new IllegalArgumentException("permutation " + java.util.Arrays.toString(axes) + " of rank " + rank);
        long[] to = new long[rank];
        for (int d = 0; d < rank; d++) to[d] = from[axes[d]];
        long[] fromStrides = strides(from);
        int n = Math.toIntExact(a.size());
        int[] sourceIndex = new int[n];
        long[] index = new long[rank];
        for (int i = 0; i < n; i++) {
            long offset = 0;
            for (int d = 0; d < rank; d++) offset += index[d] * fromStrides[axes[d]];
            sourceIndex[i] = Math.toIntExact(offset);
            for (int d = rank - 1; d >= 0; d--) {
                if (++index[d] < to[d]) break;
                index[d] = 0;
            }
        }
        return gather(a, to, sourceIndex);
    }

    /**
     * A DL4J LSTM's gate blocks along the last axis, {@code [c, f, o, i]} (block input first, as
     * DL4J's LSTM helpers lay them out), in Keras's order {@code [i, f, c, o]}.
     */
    static HostArray lstmGates(HostArray a) {
        long[] shape = a.shape();
        long width = shape[shape.length - 1];
        if (width % 4 != 0) throw new IllegalArgumentException("LSTM gate axis of " + width + " is not four blocks");
        int units = Math.toIntExact(width / 4);
        int[] dl4jBlockOfKerasBlock = {3, 1, 0, 2};
        int n = Math.toIntExact(a.size());
        int[] sourceIndex = new int[n];
        for (int i = 0; i < n; i++) {
            int row = i / (int) width;
            int col = i % (int) width;
            int block = col / units;
            sourceIndex[i] = row * (int) width + dl4jBlockOfKerasBlock[block] * units + col % units;
        }
        return gather(a, shape, sourceIndex);
    }

    private static HostArray gather(HostArray a, long[] shape, int[] sourceIndex) {
        if (a.floatData() != null) {
            float[] src = a.floatData();
            float[] out = new float[sourceIndex.length];
            for (int i = 0; i < out.length; i++) out[i] = src[sourceIndex[i]];
            return a.dtype() == dev.graft.model.DType.FLOAT16 ? HostArray.ofHalfs(shape, out) : HostArray.ofFloats(shape, out);
        }
        if (a.doubleData() != null) {
            double[] src = a.doubleData();
            double[] out = new double[sourceIndex.length];
            for (int i = 0; i < out.length; i++) out[i] = src[sourceIndex[i]];
            return HostArray.ofDoubles(shape, out);
        }
        long[] src = a.longData();
        long[] out = new long[sourceIndex.length];
        for (int i = 0; i < out.length; i++) out[i] = src[sourceIndex[i]];
        return HostArray.ofLongs(a.dtype(), shape, out);
    }

    private static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = step;
            step *= shape[d];
        }
        return s;
    }
}
