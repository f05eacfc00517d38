package dev.graft.engine;

import dev.graft.model.DType;
import dev.graft.model.HostArray;

/**
 * Row ranges (samples, along the batch axis) of host arrays, and the array the rows of successive
 * chunks fill: predictions run chunk by chunk so that the engine's activations never hold more
 * than one chunk of a large input.
 */
final class Rows {
    private Rows() {
    }

    /** Rows {@code [from, to)} of {@code a} as a new array; floating data keeps its width, integers become float64. */
    static HostArray slice(HostArray a, long from, long to) {
        long[] shape = a.shape();
        long perRow = a.size() / Math.max(1, shape[0]);
        long[] sliceShape = shape.clone();
        sliceShape[0] = to - from;
        int start = Math.toIntExact(from * perRow);
        int n = Math.toIntExact((to - from) * perRow);
        if (a.floatData() != null) {
            float[] out = new float[n];
            System.arraycopy(a.floatData(), start, out, 0, n);
            return HostArray.ofFloats(sliceShape, out);
        }
        double[] out = new double[n];
        if (a.doubleData() != null) {
            System.arraycopy(a.doubleData(), start, out, 0, n);
        } else {
            for (int i = 0; i < n; i++) out[i] = a.getDouble(start + i);
        }
        return HostArray.ofDoubles(sliceShape, out);
    }

    /** Fills an array of {@code rows} samples from chunks that arrive in order. */
    static final class Assembler {
        private final long rows;
        private long filled;
        private long[] shape;
        private float[] floats;
        private double[] doubles;

        Assembler(long rows) {
            this.rows = rows;
        }

        void add(HostArray chunk) {
            long[] s = chunk.shape();
            if (shape == null) {
                shape = s.clone();
                shape[0] = rows;
                int total = Math.toIntExact(HostArray.size(shape));
                if (chunk.dtype() == DType.FLOAT64) doubles = new double[total]; else floats = new float[total];
            }
            long perRow = HostArray.size(shape) / Math.max(1, rows);
            int at = Math.toIntExact(filled * perRow);
            if (floats != null) {
                float[] src = chunk.floatData() != null ? chunk.floatData() : chunk.toFloatArray();
                System.arraycopy(src, 0, floats, at, src.length);
            } else {
                double[] src = chunk.doubleData() != null ? chunk.doubleData() : chunk.toDoubleArray();
                System.arraycopy(src, 0, doubles, at, src.length);
            }
            filled += s[0];
        }

        HostArray result() {
            return floats != null ? HostArray.ofFloats(shape, floats) : HostArray.ofDoubles(shape, doubles);
        }
    }
}
