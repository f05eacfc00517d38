package dev.graft.engine.train;

import dev.graft.GraftException;
import dev.graft.model.HostArray;
import dev.graft.model.Shape;
import java.util.Arrays;

/**
 * Refuses, before any training starts, labels that do not fit the loss or the model's output:
 * wrong width, values outside what the loss means, NaN, a row count that differs from the inputs.
 * Messages name the data source and the row (1-based) where the problem is.
 */
public final class LabelChecks {
    private LabelChecks() {
    }

    /**
     * @param source how the user named the labels (file, or file and columns)
     * @param output the model output's shape (batch first)
     */
    public static void check(String source, HostArray y, long rows, Shape output, LossKind loss) {
        long[] s = y.shape();
        if (s.length == 0) throw new GraftException(source + ": labels need a row per sample, got a scalar");
        if (s[0] != rows) throw new GraftException(source + ": " + s[0] + " label rows for " + rows + " input rows");
        long width = s.length == 1 ? 1 : s[s.length - 1];
        Long outWidth = output == null ? null : output.lastDim();
        int perRow = Math.toIntExact(y.size() / Math.max(1, s[0]));
        for (long i = 0; i < y.size(); i++) {
            double v = y.getDouble(i);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new GraftException(source + ": row " + (i / perRow + 1) + " holds " + (Double.isNaN(v) ? "NaN" : "an infinite value") + " in its labels");
            }
        }
        switch (loss.labels()) {
            case CLASS_INDEX:
                if (width != 1 && !(s.length == 1)) {
                    throw new GraftException(source + ": " + loss.kerasName() + " needs one class index per sample, got " + width
                            + " values per row (one-hot labels need categorical_crossentropy)");
                }
                for (long i = 0; i < y.size(); i++) {
                    double v = y.getDouble(i);
                    if (v != Math.rint(v) || v < 0 || (outWidth != null && v >= outWidth)) {
                        throw new GraftException(source + ": row " + (i / perRow + 1) + ": label " + format(v) + " is not a class index"
                                + (outWidth == null ? "" : " in 0.." + (outWidth - 1) + " (the model has " + outWidth + " outputs)"));
                    }
                }
                return;
            case ZERO_ONE:
                requireWidth(source, y, output, loss);
                for (long i = 0; i < y.size(); i++) {
                    double v = y.getDouble(i);
                    if (v < 0 || v > 1) {
                        throw new GraftException(source + ": row " + (i / perRow + 1) + ": label " + format(v) + " is outside 0..1, which "
                                + loss.kerasName() + " needs");
                    }
                }
                return;
            case DISTRIBUTION:
                requireWidth(source, y, output, loss);
                for (long r = 0; r < y.size() / width; r++) {
                    double sum = 0;
                    for (long k = 0; k < width; k++) {
                        double v = y.getDouble(r * width + k);
                        if (v < 0) throw new GraftException(source + ": row " + (r / (perRow / width) + 1) + ": negative label " + format(v));
                        sum += v;
                    }
                    if (Math.abs(sum - 1) > 1e-3) {
                        throw new GraftException(source + ": row " + (r / (perRow / width) + 1) + ": labels sum to " + format(sum) + "; "
                                + loss.kerasName() + " needs one-hot rows or probabilities"
                                + (width == 1 ? " (class indices need sparse_categorical_crossentropy)" : ""));
                    }
                }
                return;
            default:
                requireWidth(source, y, output, loss);
        }
    }

    private static void requireWidth(String source, HostArray y, Shape output, LossKind loss) {
        if (output == null) return;
        long[] s = y.shape();
        long[] want = new long[output.rank()];
        want[0] = s[0];
        boolean fits = s.length == output.rank() || (s.length == 1 && output.rank() == 2 && Long.valueOf(1).equals(output.lastDim()));
        for (int d = 1; fits && d < output.rank(); d++) {
            Long o = output.dim(d);
            want[d] = o == null ? -1 : o;
            if (s.length == output.rank() && o != null && s[d] != o) fits = false;
        }
        if (!fits) {
            throw new GraftException(source + ": labels of shape " + tuple(s) + " do not match the model's output " + output
                    + " for " + loss.kerasName());
        }
    }

    private static String tuple(long[] s) {
        String t = Arrays.toString(s);
        return "(" + t.substring(1, t.length() - 1) + (s.length == 1 ? ",)" : ")");
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
