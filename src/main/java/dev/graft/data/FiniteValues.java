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
        long rows = a.rank() == 0 ? 1 : Math.max(1, a.shape()[0]);
        long perRow = Math.max(1, a.size() / rows);
        for (long i = 0; i < a.size(); i++) {
            double v = a.getDouble(i);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new GraftException(source + ": row " + (i / perRow + 1) + " holds " + (Double.isNaN(v) ? "NaN" : "an infinite value")
                        + "; graft needs finite numbers");
            }
        }
        return a;
    }
}
