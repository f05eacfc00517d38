package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import dev.graft.shape.GraphShapes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code MultiHeadAttention} over inputs of rank 4 (rank 5 and more are refused): {@code attention_axes} (default: every axis but the
 * batch and the features; a negative axis counts from the projected query's last axis, so {@code -2} is the last
 * position axis) are the axes attended over, the others are batch-like (each of their positions attends on its own), and
 * the softmax runs over all attention axes together. Computed as the sequence layer it is between {@code Reshape}s: the
 * query's, value's and key's positions become steps (row-major, {@code <layer>_graft_query} ...), each query step may
 * attend only to key steps with the same coordinates on the other axes (a constant mask, {@code -1e9} on the scores, which
 * leaves exactly Keras's per-position softmax), the layer keeps its name and weights (training writes back to it), and
 * every reader of the layer, the model's outputs included, reads {@code <layer>_graft_back}, the result in Keras's
 * shape. On sequences, {@code attention_axes} naming the steps ({@code [1]}, {@code -2}) is the layer as it is.
 */
public final class MultiHeadAttentionAxes {
    /** Config for the engine: per query step, and per key step, the index of its coordinates on the axes not attended over. */
    static final String QUERY_GROUPS_KEY = "graft_query_groups";
    static final String KEY_GROUPS_KEY = "graft_key_groups";

    private MultiHeadAttentionAxes() {
    }

    /** The attended axes of a query of rank {@code rank} (1-based, batch 0), or null when {@code attention_axes} names another axis. */
    public static int[] axes(JsonNode attentionAxes, int rank) {
        if (attentionAxes == null || attentionAxes.isNull() || attentionAxes.isMissingNode()) {
            int[] all = new int[rank - 2];
            for (int i = 0; i < all.length; i++) all[i] = i + 1;
            return all;
        }
        List<Integer> given = new ArrayList<>();
        if (attentionAxes.isNumber()) given.add(attentionAxes.asInt());
        else if (attentionAxes.isArray()) for (JsonNode a : attentionAxes) if (a.isNumber()) given.add(a.asInt()); else return null;
        else return null;
        if (given.isEmpty()) return null;
        java.util.TreeSet<Integer> axes = new java.util.TreeSet<>();
        for (int a : given) {
            // Keras: axis if axis >= 0 else (projected rank - 1) + axis, the projected query having one axis more (the heads)
            int axis = a >= 0 ? a : rank + a;
            if (axis < 1 || axis > rank - 2 || !axes.add(axis)) return null;
        }
        return axes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Why the engine cannot compute this MultiHeadAttention's axes, or null. */
    static String whyNot(Layer layer, ModelGraph model, GraphShapes shapes) {
        if (!"MultiHeadAttention".equals(layer.className()) || layer.calls().size() != 1 || layer.calls().get(0).inputs().size() < 2) return null;
        LayerCall call = layer.calls().get(0);
        Shape q = shapes.shape(call.inputs().get(0));
        if (q == null) return null;
        JsonNode given = layer.config().get("attention_axes");
        int[] axes = axes(given, q.rank());
        if (axes == null) {
            return "attention_axes=" + given + " names an axis that is not a position axis of its rank-" + q.rank() + " query (1 to " + (q.rank() - 2)
                    + ", or counted back from -2)";
        }
        if (q.rank() < 4) return null;
        // DL4J's engine holds no rank-5+ tensors between the Reshapes this takes
        if (q.rank() > 4) return "reads inputs of rank " + q.rank() + "; graft computes MultiHeadAttention on inputs of rank 3 and 4";
        int keyIndex = MultiHeadAttentionForEngine.keyIndex(layer);
        MultiHeadAttentionForEngine.Roles roles = MultiHeadAttentionForEngine.Roles.of(call);
        if (roles != null && roles.mask() >= 0) return "is given an attention_mask on rank-" + q.rank() + " inputs, which graft does not compute";
        ObjectNode kwargs = call.kwargs();
        if (kwargs != null && kwargs.path("use_causal_mask").asBoolean(false)) {
            return "uses the causal mask on rank-" + q.rank() + " inputs, which graft does not compute";
        }
        // Keras's scores keep the rank-4 positions as axes of their own (batch, heads, query positions..., key positions...)
        if (LstmStateRewrite.usedTensors(model).contains(new TensorRef(layer.name(), 0, 1))) {
            return "returns its attention scores on rank-" + q.rank() + " inputs, which graft does not compute";
        }
        if (AttentionMasks.whyNot(layer, model, keyIndex) != null || AttentionMasks.of(layer, model, keyIndex).any()) {
            return "reads a Keras mask on rank-" + q.rank() + " inputs, which graft does not apply";
        }
        List<Shape> inputs = new ArrayList<>(List.of(q, shapes.shape(call.inputs().get(1))));
        if (keyIndex >= 0) inputs.add(shapes.shape(call.inputs().get(keyIndex)));
        for (Shape s : inputs) {
            if (s == null || s.rank() != q.rank() || s.dims().subList(1, s.rank()).contains(null)) {
                return "reads inputs of open or differing ranks and sizes " + inputs + "; graft computes attention_axes on fixed sizes of one rank";
            }
        }
        for (int axis = 1; axis < q.rank() - 1; axis++) {
            if (isAttended(axes, axis)) continue;
            for (Shape s : inputs) {
                if (!s.dim(axis).equals(q.dim(axis))) return "reads inputs whose axis " + axis + " (not attended) differs in size " + inputs;
            }
        }
        return null;
    }

    /**
     * The model with every MultiHeadAttention over rank-4+ inputs as a sequence layer between Reshapes, and the
     * {@code attention_axes} of one over sequences dropped when it names the steps; throws what {@link #whyNot} says.
     */
    static ModelGraph apply(ModelGraph flat) {
        GraphShapes shapes = null;
        Map<String, Layer> rewritten = new LinkedHashMap<>();
        for (Layer l : flat.layers()) {
            if (!"MultiHeadAttention".equals(l.className()) || l.calls().size() != 1 || l.calls().get(0).inputs().size() < 2) continue;
            if (shapes == null) shapes = GraphShapes.infer(flat);
            String why = whyNot(l, flat, shapes);
            if (why != null) throw new EngineException("layer '" + l.name() + "' (MultiHeadAttention) " + why + "; graft cannot compute this model");
            Shape q = shapes.shape(l.calls().get(0).inputs().get(0));
            if (q == null) continue;
            if (q.rank() == 3) {
                if (l.config().has("attention_axes")) {
                    ObjectNode c = l.config().deepCopy();
                    c.remove("attention_axes");
                    rewritten.put(l.name(), l.withConfig(c));
                }
                continue;
            }
            rewritten.put(l.name(), null);
        }
        if (rewritten.isEmpty()) return flat;
        List<Layer> layers = new ArrayList<>();
        Map<String, String> back = new HashMap<>();
        for (Layer l : flat.layers()) {
            if (!rewritten.containsKey(l.name())) {
                layers.add(l);
                continue;
            }
            if (rewritten.get(l.name()) != null) {
                layers.add(rewritten.get(l.name()));
                continue;
            }
            layers.addAll(asSequences(l, shapes));
            back.put(l.name(), l.name() + "_graft_back");
        }
        if (back.isEmpty()) return flat.withLayers(layers, flat.inputs(), flat.outputs());
        List<Layer> redirected = new ArrayList<>();
        for (Layer l : layers) {
            if (l.name().endsWith("_graft_back") || l.calls().isEmpty()) {
                redirected.add(l);
                continue;
            }
            List<LayerCall> calls = new ArrayList<>();
            for (LayerCall c : l.calls()) calls.add(new LayerCall(redirect(c.inputs(), back), c.kwargs()));
            redirected.add(l.withCalls(calls));
        }
        return flat.withLayers(redirected, flat.inputs(), redirect(flat.outputs(), back));
    }

    /** The Reshapes of the inputs, the layer reading them with its groups, and the Reshape back. */
    private static List<Layer> asSequences(Layer mha, GraphShapes shapes) {
        LayerCall call = mha.calls().get(0);
        Shape q = shapes.shape(call.inputs().get(0));
        int[] axes = axes(mha.config().get("attention_axes"), q.rank());
        int keyIndex = MultiHeadAttentionForEngine.keyIndex(mha);
        Shape keySteps = shapes.shape(call.inputs().get(keyIndex >= 0 ? keyIndex : 1));
        List<Layer> out = new ArrayList<>();
        List<TensorRef> inputs = new ArrayList<>(call.inputs());
        String[] roles = {"query", "value", "key"};
        int[] indices = {0, 1, keyIndex};
        for (int r = 0; r < roles.length; r++) {
            if (indices[r] < 0) continue;
            Shape s = shapes.shape(call.inputs().get(indices[r]));
            String name = mha.name() + "_graft_" + roles[r];
            out.add(reshape(name, call.inputs().get(indices[r]), positions(s), s.dim(s.rank() - 1)));
            inputs.set(indices[r], TensorRef.of(name));
        }
        ObjectNode c = mha.config().deepCopy();
        c.remove("attention_axes");
        // Keras 3 takes its explicit softmax for rank-4+ inputs (the projected query is not rank 4): masked positions zeroed
        c.put(MultiHeadAttentionForEngine.EXPLICIT_SOFTMAX_KEY, true);
        if (axes.length < q.rank() - 2) {
            ArrayNode qg = c.putArray(QUERY_GROUPS_KEY);
            for (int g : groups(q, axes)) qg.add(g);
            ArrayNode kg = c.putArray(KEY_GROUPS_KEY);
            for (int g : groups(keySteps, axes)) kg.add(g);
        }
        out.add(new Layer(mha.name(), mha.className(), c, List.of(new LayerCall(inputs, call.kwargs())), mha.weights(), null,
                mha.declaredOutputShapes()));
        Shape result = shapes.shape(TensorRef.of(mha.name()));
        long[] target = new long[result.rank() - 1];
        for (int axis = 1; axis < result.rank(); axis++) target[axis - 1] = result.dim(axis);
        out.add(reshape(mha.name() + "_graft_back", TensorRef.of(mha.name()), target));
        return out;
    }

    private static long positions(Shape s) {
        long n = 1;
        for (int axis = 1; axis < s.rank() - 1; axis++) n *= s.dim(axis);
        return n;
    }

    /** Per position (row-major over the position axes), the row-major index of its coordinates on the axes not attended. */
    static int[] groups(Shape s, int[] attended) {
        int rank = s.rank();
        int n = (int) positions(s);
        int[] out = new int[n];
        for (int p = 0; p < n; p++) {
            int rest = p;
            int group = 0;
            int groupStride = 1;
            for (int axis = rank - 2; axis >= 1; axis--) {
                int size = (int) (long) s.dim(axis);
                int coordinate = rest % size;
                rest /= size;
                if (isAttended(attended, axis)) continue;
                group += coordinate * groupStride;
                groupStride *= size;
            }
            out[p] = group;
        }
        return out;
    }

    private static boolean isAttended(int[] axes, int axis) {
        for (int a : axes) if (a == axis) return true;
        return false;
    }

    private static Layer reshape(String name, TensorRef from, long... target) {
        ObjectNode c = Json.object();
        c.put("name", name);
        c.put("trainable", false);
        c.put("dtype", "float32");
        ArrayNode t = c.putArray("target_shape");
        for (long d : target) t.add(d);
        return new Layer(name, "Reshape", c, List.of(new LayerCall(List.of(from), Json.object())), List.of(), null);
    }

    private static List<TensorRef> redirect(List<TensorRef> refs, Map<String, String> back) {
        List<TensorRef> out = new ArrayList<>();
        for (TensorRef r : refs) out.add(back.containsKey(r.layer()) ? TensorRef.of(back.get(r.layer())) : r);
        return out;
    }
}
