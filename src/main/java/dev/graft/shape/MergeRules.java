package dev.graft.shape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Layers that combine several tensors: element-wise merges, Concatenate, Dot, and Keras 1's Merge. */
final class MergeRules {
    private MergeRules() {}

    static void register(RuleRegistry r) {
        r.add(MergeRules::elementwise, "Add", "Multiply", "Average", "Maximum", "Minimum");
        r.add(MergeRules::subtract, "Subtract");
        r.add(call -> concatenate(call, (int) call.config().longOr(-1, "axis")), "Concatenate");
        r.add(MergeRules::dot, "Dot");
        r.add(MergeRules::keras1Merge, "Merge");
    }

    private static List<Shape> subtract(InferenceCall call) {
        if (call.inputs().size() != 2) throw call.error("takes exactly two inputs, got " + call.inputs().size());
        return elementwise(call);
    }

    /**
     * Keras's {@code _Merge.compute_output_shape}: sample shapes broadcast NumPy-style from the
     * right (an unknown axis stays unknown, a 1 stretches), and the batch is known only when every
     * input that knows it agrees.
     */
    private static List<Shape> elementwise(InferenceCall call) {
        List<Shape> in = call.inputs();
        if (in.isEmpty()) throw call.error("needs at least one input, got none");
        List<Long> sample = in.get(0).sampleDims();
        for (Shape s : in.subList(1, in.size())) {
            sample = broadcast(call, sample, s.sampleDims());
        }
        Set<Long> batches = new HashSet<>();
        for (Shape s : in) if (s.dim(0) != null) batches.add(s.dim(0));
        List<Long> out = new ArrayList<>();
        out.add(batches.size() == 1 ? batches.iterator().next() : null);
        out.addAll(sample);
        return List.of(Shape.of(out));
    }

    private static List<Long> broadcast(InferenceCall call, List<Long> a, List<Long> b) {
        if (a.size() < b.size()) return broadcast(call, b, a);
        List<Long> out = new ArrayList<>(a.subList(0, a.size() - b.size()));
        for (int k = 0; k < b.size(); k++) {
            Long i = a.get(a.size() - b.size() + k);
            Long j = b.get(k);
            if (i == null || j == null) {
                out.add(null);
            } else if (i == 1) {
                out.add(j);
            } else if (j == 1 || i.equals(j)) {
                out.add(i);
            } else {
                throw call.error("cannot broadcast inputs " + describe(call.inputs()) + " together");
            }
        }
        return out;
    }

    /**
     * Joins along {@code axis} (negative counts from the end, the batch axis is not allowed);
     * every other axis must match where both inputs know it. The joined axis is unknown as soon as
     * one input's is, and the other axes are taken from the first input, as Keras does.
     */
    private static List<Shape> concatenate(InferenceCall call, int axis) {
        List<Shape> in = call.inputs();
        if (in.isEmpty()) throw call.error("needs at least one input, got none");
        int rank = in.get(0).rank();
        for (Shape s : in) {
            if (s.rank() != rank) throw call.error("needs inputs of equal rank, got " + describe(in));
        }
        int a = axis < 0 ? rank + axis : axis;
        if (a <= 0 || a >= rank) {
            throw call.error("axis " + axis + " is not a sample axis of inputs of rank " + rank + " " + describe(in));
        }
        for (Shape s : in) {
            for (int i = 1; i < rank; i++) {
                Long x = in.get(0).dim(i);
                Long y = s.dim(i);
                if (i != a && x != null && y != null && !x.equals(y)) {
                    throw call.error("on axis " + axis + " needs inputs that match on every other axis, got "
                            + describe(in));
                }
            }
        }
        List<Long> out = new ArrayList<>(in.get(0).dims());
        Long total = 0L;
        for (Shape s : in) {
            if (s.dim(a) == null) {
                total = null;
                break;
            }
            total += s.dim(a);
        }
        out.set(a, total);
        return List.of(Shape.of(out));
    }

    /** {@code axes}: one int for both inputs or a pair; the product sums over those axes. */
    private static List<Shape> dot(InferenceCall call) {
        JsonNode axes = call.config().get("axes");
        if (axes == null) throw call.config().missing("axes");
        return List.of(dotProduct(call, axes));
    }

    /**
     * Keras's {@code Dot.compute_output_shape}: drop the summed axis from each input and the second
     * input's batch, concatenate the rest; a lone batch axis gets a trailing 1.
     */
    private static Shape dotProduct(InferenceCall call, JsonNode axes) {
        if (call.inputs().size() != 2) throw call.error("takes exactly two inputs, got " + call.inputs().size());
        Shape s1 = call.inputs().get(0);
        Shape s2 = call.inputs().get(1);
        int a1;
        int a2;
        if (axes.isArray()) {
            if (axes.size() != 2) throw call.error("axes " + axes + " should be one int or a pair");
            a1 = axes.get(0).asInt();
            a2 = axes.get(1).asInt();
        } else {
            a1 = axes.asInt();
            a2 = a1;
        }
        a1 = a1 < 0 ? a1 + s1.rank() : a1;
        a2 = a2 < 0 ? a2 + s2.rank() : a2;
        if (a1 < 1 || a1 >= s1.rank() || a2 < 1 || a2 >= s2.rank()) {
            throw call.error("axes " + axes + " are not sample axes of inputs " + describe(call.inputs()));
        }
        Long d1 = s1.dim(a1);
        Long d2 = s2.dim(a2);
        if (d1 != null && d2 != null && !d1.equals(d2)) {
            throw call.error("axes " + axes + " pair dimensions of different sizes " + d1 + " and " + d2
                    + " in inputs " + describe(call.inputs()));
        }
        List<Long> out = new ArrayList<>(s1.dims());
        out.remove(a1);
        List<Long> rest = new ArrayList<>(s2.dims());
        rest.remove(a2);
        rest.remove(0);
        out.addAll(rest);
        if (out.size() == 1) out.add(1L);
        return Shape.of(out);
    }

    /**
     * Keras 1's Merge layer: {@code mode} sum/mul/ave/max need identical shapes, concat joins on
     * {@code concat_axis}, dot/cos sum over {@code dot_axes}; a Python function as mode needs a
     * declared {@code output_shape}.
     */
    private static List<Shape> keras1Merge(InferenceCall call) {
        LayerConfig c = call.config();
        String modeType = c.string("raw", "mode_type");
        if (!modeType.equals("raw")) return CodeLayerRules.declaredOutputShape(call);
        String mode = c.string("sum", "mode");
        List<Shape> in = call.inputs();
        switch (mode) {
            case "sum":
            case "mul":
            case "ave":
            case "max":
                if (in.isEmpty()) throw call.error("needs at least one input, got none");
                for (Shape s : in) {
                    if (!s.equals(in.get(0))) {
                        throw call.error("mode '" + mode + "' needs inputs of the same shape, got " + describe(in));
                    }
                }
                return List.of(in.get(0));
            case "concat":
                return concatenate(call, (int) c.longOr(-1, "concat_axis"));
            case "dot":
            case "cos":
                JsonNode axes = c.get("dot_axes");
                return List.of(dotProduct(call, axes == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.numberNode(-1) : axes));
            default:
                throw call.error("has unknown mode '" + mode + "' (expected sum, mul, ave, max, concat, dot or cos)");
        }
    }

    static String describe(List<Shape> shapes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shapes.size(); i++) {
            if (i > 0) sb.append(i == shapes.size() - 1 ? " and " : ", ");
            sb.append(shapes.get(i));
        }
        return sb.toString();
    }
}
