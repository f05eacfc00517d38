package dev.graft.data;

import dev.graft.model.HostArray;
import java.util.List;

/** Picking and joining rows (samples) of row-major arrays. */
public final class RowSelection {
    private RowSelection() {
    }

    /** The given rows of an array, in the given order. */
    public static HostArray of(HostArray a, int[] rows) {
        long[] shape = a.shape();
        int per = Math.toIntExact(a.size() / Math.max(1, shape[0]));
        shape[0] = rows.length;
        if (a.doubleData() != null) {
            double[] src = a.doubleData(), out = new double[rows.length * per];
            for (int i = 0; i < rows.length; i++) System.arraycopy(src, rows[i] * per, out, i * per, per);
            return HostArray.ofDoubles(shape, out);
        }
        if (a.longData() != null) {
            long[] src = a.longData(), out = new long[rows.length * per];
            for (int i = 0; i < rows.length; i++) System.arraycopy(src, rows[i] * per, out, i * per, per);
            return HostArray.ofLongs(a.dtype(), shape, out);
        }
        float[] src = a.floatData(), out = new float[rows.length * per];
        for (int i = 0; i < rows.length; i++) System.arraycopy(src, rows[i] * per, out, i * per, per);
        return a.dtype() == dev.graft.model.DType.FLOAT16 ? HostArray.ofHalfs(shape, out) : HostArray.ofFloats(shape, out);
    }

    /** Arrays of equal per-sample shape, one after the other (as float32). */
    public static HostArray concat(List<HostArray> parts) {
        if (parts.size() == 1) return parts.get(0);
        long rows = 0;
        for (HostArray p : parts) rows += p.shape()[0];
        long[] shape = parts.get(0).shape();
        shape[0] = rows;
        float[] out = new float[Math.toIntExact(HostArray.size(shape))];
        int at = 0;
        for (HostArray p : parts) {
            float[] f = p.toFloatArray();
            System.arraycopy(f, 0, out, at, f.length);
            at += f.length;
        }
        return HostArray.ofFloats(shape, out);
    }
}
