package dev.graft.shape;

import dev.graft.model.DType;
import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether a tensor of one shape can feed an input of another, and if not, which bridge makes
 * it fit: the answer {@code inspect A B} prints (and its exit code), and the bridge {@code merge
 * --bridge auto} builds.
 */
public final class Compatibility {
    /**
     * DIRECT: joins as it is. LENGTH_DEPENDENT: joins with no bridge, but only when the data has the
     * length the fixed side expects (a variable dimension meets a fixed one). RESHAPE, DENSE,
     * FLATTEN_DENSE: joins through that bridge. INCOMPATIBLE: no bridge graft builds joins them.
     */
    public enum Verdict { DIRECT, LENGTH_DEPENDENT, RESHAPE, DENSE, FLATTEN_DENSE, INCOMPATIBLE }

    /**
     * @param bridge the {@code --bridge} value that makes it fit ({@code null} when no bridge is needed or none fits)
     * @param reason one sentence on why (always set)
     */
    public record Result(Verdict verdict, String bridge, String reason) {
        /** Joins with no bridge (for LENGTH_DEPENDENT: when the data has the expected length). */
        public boolean fitsDirectly() {
            return verdict == Verdict.DIRECT || verdict == Verdict.LENGTH_DEPENDENT;
        }

        /** Needs a bridge, and graft builds one that joins them ({@link #bridge()}). */
        public boolean joinsWithBridge() {
            return bridge != null;
        }

        /** Neither directly nor through any bridge graft builds. */
        public boolean joinable() {
            return fitsDirectly() || joinsWithBridge();
        }
    }

    private Compatibility() {
    }

    public static Result check(Shape from, DType fromType, Shape to, DType toType) {
        return check(from, fromType, to, toType, false);
    }

    /**
     * @param toIsIndex the input feeds an Embedding: it takes integer indices, whatever dtype its
     *                  InputLayer declares (Keras models usually say float32 there)
     */
    public static Result check(Shape from, DType fromType, Shape to, DType toType, boolean toIsIndex) {
        if (from == null || to == null) {
            return new Result(Verdict.INCOMPATIBLE, null, "the " + (from == null ? "output" : "input") + " shape is unknown");
        }
        if (toIsIndex && fromType.isFloating()) {
            return new Result(Verdict.INCOMPATIBLE, null, "the input feeds an Embedding, which takes integer indices; a "
                    + fromType.kerasName() + " output holds no indices, and no bridge turns values into indices");
        }
        if (fromType != toType && !(fromType.isFloating() && toType.isFloating())) {
            return new Result(Verdict.INCOMPATIBLE, null, "dtype " + fromType.kerasName() + " cannot feed " + toType.kerasName());
        }
        if (fromType != toType) {
            return new Result(Verdict.INCOMPATIBLE, null, "dtype " + fromType.kerasName() + " differs from " + toType.kerasName()
                    + " (merge with --cast " + toType.kerasName() + ")");
        }
        if (sameSampleShape(from, to)) {
            List<String> conditions = lengthConditions(from, to);
            if (!conditions.isEmpty()) {
                return new Result(Verdict.LENGTH_DEPENDENT, null, "output " + from + " joins input " + to + " only when the data has "
                        + String.join(" and ", conditions) + "; other lengths fail when the model runs");
            }
            return new Result(Verdict.DIRECT, null, "same shape " + from + " and dtype");
        }
        long fromCount = from.elementsPerSample();
        long toCount = to.elementsPerSample();
        if (fromCount > 0 && fromCount == toCount) {
            return new Result(Verdict.RESHAPE, "reshape",
                    "same number of elements per sample (" + fromCount + "): " + from + " reshapes to " + to);
        }
        if (from.rank() == to.rank() && to.lastDim() != null && leadingDimsMatch(from, to)) {
            return new Result(Verdict.DENSE, "dense:" + to.lastDim(),
                    "a Dense layer of " + to.lastDim() + " units on the last axis maps " + from + " to " + to);
        }
        if (from.rank() > 2 && to.rank() == 2 && to.lastDim() != null && fromCount > 0) {
            return new Result(Verdict.FLATTEN_DENSE, "flatten,dense:" + to.lastDim(), "a feature map " + from + " into a vector "
                    + to + ": Flatten gives " + fromCount + " features per sample, then a Dense layer of " + to.lastDim() + " units");
        }
        return new Result(Verdict.INCOMPATIBLE, null, why(from, to));
    }

    /** Per-sample dimensions equal, where an unknown dimension matches anything on the other side. */
    private static boolean sameSampleShape(Shape a, Shape b) {
        if (a.rank() != b.rank()) return false;
        for (int i = 1; i < a.rank(); i++) {
            Long x = a.dim(i), y = b.dim(i);
            if (x != null && y != null && !x.equals(y)) return false;
        }
        return true;
    }

    /** "16 steps" for every axis where the output's length varies and the input's is fixed. */
    private static List<String> lengthConditions(Shape from, Shape to) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < from.rank(); i++) {
            if (from.dim(i) == null && to.dim(i) != null) {
                out.add(to.dim(i) + (from.rank() == 3 && i == 1 ? " steps" : " positions on axis " + i));
            }
        }
        return out;
    }

    private static boolean leadingDimsMatch(Shape a, Shape b) {
        List<Long> x = a.sampleDims(), y = b.sampleDims();
        for (int i = 0; i < x.size() - 1; i++) {
            if (x.get(i) != null && y.get(i) != null && !Objects.equals(x.get(i), y.get(i))) return false;
        }
        return true;
    }

    private static String why(Shape from, Shape to) {
        if (from.rank() != to.rank()) {
            String counts = from.elementsPerSample() > 0 && to.elementsPerSample() > 0
                    ? " and different element counts (" + from.elementsPerSample() + " vs " + to.elementsPerSample() + ")"
                    : "";
            return "output " + from + " has rank " + from.rank() + ", input " + to + " has rank " + to.rank() + counts
                    + ": neither a reshape, a dense nor a flatten,dense bridge fits";
        }
        return "output " + from + " and input " + to + " differ before the last axis and in element count:"
                + " neither a reshape nor a dense bridge fits";
    }
}
