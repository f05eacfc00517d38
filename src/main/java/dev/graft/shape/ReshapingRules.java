package dev.graft.shape;

import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;

/** Layers that rearrange a sample's elements without changing them: Flatten, Reshape, Permute, RepeatVector. */
final class ReshapingRules {
    private ReshapingRules() {}

    static void register(RuleRegistry r) {
        r.add(ReshapingRules::flatten, "Flatten");
        r.add(ReshapingRules::reshape, "Reshape");
        r.add(ReshapingRules::permute, "Permute");
        r.add(ReshapingRules::repeatVector, "RepeatVector");
    }

    /**
     * {@code (batch, product of sample axes)}; unknown when any sample axis is unknown. A rank-1
     * input {@code (batch,)} becomes {@code (batch, 1)}. The data format only reorders elements.
     */
    private static List<Shape> flatten(InferenceCall call) {
        Shape in = call.requireMinRank(call.onlyInput(), 1, "(batch, ...)");
        long n = in.elementsPerSample();
        return List.of(Shape.of(in.dim(0), n < 0 ? null : n));
    }

    /**
     * {@code target_shape} excludes the batch axis and may hold one {@code -1}, which Keras
     * solves from the element count when the input's sample shape is known, else leaves unknown.
     */
    private static List<Shape> reshape(InferenceCall call) {
        Shape in = call.requireMinRank(call.onlyInput(), 1, "(batch, ...)");
        List<Long> target = call.config().longList("target_shape");
        if (target == null) throw call.config().missing("target_shape");
        int unknownAt = -1;
        long knownProduct = 1;
        for (int i = 0; i < target.size(); i++) {
            Long t = target.get(i);
            if (t == null || t == -1) {
                if (unknownAt >= 0) throw call.error("target_shape " + target + " has more than one unknown (-1) dimension");
                unknownAt = i;
            } else if (t < 0) {
                throw call.error("target_shape " + target + " has a negative dimension");
            } else {
                knownProduct *= t;
            }
        }
        List<Long> out = new ArrayList<>();
        out.add(in.dim(0));
        out.addAll(target);
        long elements = in.elementsPerSample();
        if (elements < 0) {
            if (unknownAt >= 0) out.set(unknownAt + 1, null);
            return List.of(Shape.of(out));
        }
        if (unknownAt >= 0) {
            if (knownProduct == 0 || elements % knownProduct != 0) {
                throw call.error("cannot reshape " + in + " (" + elements + " values per sample) to "
                        + describe(target) + ": " + elements + " is not a multiple of " + knownProduct);
            }
            out.set(unknownAt + 1, elements / knownProduct);
        } else if (knownProduct != elements) {
            throw call.error("cannot reshape " + in + " (" + elements + " values per sample) to "
                    + describe(target) + " (" + knownProduct + " values)");
        }
        return List.of(Shape.of(out));
    }

    /** {@code dims} numbers the sample axes from 1 (the batch axis stays first). */
    private static List<Shape> permute(InferenceCall call) {
        Shape in = call.onlyInput();
        List<Long> dims = call.config().longList("dims");
        if (dims == null) throw call.config().missing("dims");
        int n = in.rank() - 1;
        boolean[] seen = new boolean[n + 1];
        boolean valid = dims.size() == n;
        for (Long d : dims) {
            if (d == null || d < 1 || d > n || seen[d.intValue()]) {
                valid = false;
                break;
            }
            seen[d.intValue()] = true;
        }
        if (!valid) {
            throw call.error("dims " + dims + " must be a permutation of 1.." + n + " for input " + in);
        }
        List<Long> out = new ArrayList<>();
        out.add(in.dim(0));
        for (Long d : dims) out.add(in.dim(d.intValue()));
        return List.of(Shape.of(out));
    }

    /** {@code (batch, features)} to {@code (batch, n, features)}. */
    private static List<Shape> repeatVector(InferenceCall call) {
        Shape in = call.requireRank(call.onlyInput(), 2, "(batch, features)");
        return List.of(Shape.of(in.dim(0), call.config().requireLong("n"), in.dim(1)));
    }

    private static String describe(List<Long> target) {
        StringBuilder sb = new StringBuilder("target_shape (");
        for (int i = 0; i < target.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(target.get(i) == null ? "None" : target.get(i).toString());
        }
        if (target.size() == 1) sb.append(",");
        return sb.append(")").toString();
    }
}
