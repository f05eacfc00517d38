package dev.graft.shape;

import dev.graft.model.DType;
import dev.graft.model.Shape;
import java.util.List;
import java.util.Objects;

/**
 * Whether a tensor of one shape can feed an input of another, and if not, which bridge makes
 * it fit: the answer {@code inspect A B} prints and {@code merge} acts on.
 */
public final class Compatibility {
    public enum Verdict { DIRECT, RESHAPE, DENSE, INCOMPATIBLE }

    /**
     * @param bridge the {@code --bridge} value that makes it fit ({@code null} when direct or incompatible)
     * @param reason one sentence on why (always set)
     */
    public record Result(Verdict verdict, String bridge, String reason) {
        public boolean fitsDirectly() {
            return verdict == Verdict.DIRECT;
        }
    }

    private Compatibility() {
    }

    public static Result check(Shape from, DType fromType, Shape to, DType toType) {
        if (from == null || to == null) {
            return new Result(Verdict.INCOMPATIBLE, null, "the " + (from == null ? "output" : "input") + " shape is unknown");
        }
        if (fromType != toType && !(fromType.isFloating() && toType.isFloating())) {
            return new Result(Verdict.INCOMPATIBLE, null, "dtype " + fromType.kerasName() + " cannot feed " + toType.kerasName());
        }
        if (fromType != toType) {
            return new Result(Verdict.INCOMPATIBLE, null, "dtype " + fromType.kerasName() + " differs from " + toType.kerasName()
                    + " (merge with --cast " + toType.kerasName() + ")");
        }
        if (sameSampleShape(from, to)) return new Result(Verdict.DIRECT, null, "same shape " + from + " and dtype");
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
                    + ": neither a reshape nor a dense bridge fits";
        }
        return "output " + from + " and input " + to + " differ before the last axis and in element count:"
                + " neither a reshape nor a dense bridge fits";
    }
}
