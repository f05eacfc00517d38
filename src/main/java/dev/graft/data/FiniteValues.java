package dev.graft.data;

import dev.graft.GraftException;
import dev.graft.model.HostArray;

/**
 * NaN and infinity in data are refused, whatever the file format (a CSV refuses them while it is
 * parsed; arrays from .npy/.npz are checked here), naming the file and the row that holds one.
 */
public final class FiniteValues {
    private FiniteValues() {
    }

    public static HostArray require(HostArray a, String source) {
        if (a.floatData() == null && a.doubleData() == null) return a; // integers are always finite
        long size = a.size();
        long rows = a.rank() == 0 ? 1 : Math.max(1, a.shape()[0]);
        long perRow = Math.max(1, size / rows);
        // straight over the backing array: the check reads every value of inputs of millions
        float[] floats = a.floatData();
        if (floats != null) {
            for (int i = 0; i < floats.length; i++) if (!Float.isFinite(floats[i])) throw notFinite(source, i / perRow + 1, floats[i]);
            return a;
        }
        double[] doubles = a.doubleData();
        for (int i = 0; i < doubles.length; i++) if (!Double.isFinite(doubles[i])) throw notFinite(source, i / perRow + 1, doubles[i]);
        return a;
    }

    private static GraftException notFinite(String source, long row, double v) {
        return new GraftException(source + ": row " + row + " holds " + (Double.isNaN(v) ? "NaN" : "an infinite value") + "; graft needs finite numbers");
    }
}
