package dev.graft.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A functional Keras 3 model records the mask a {@code Masking} layer hands the next layer as two operation layers,
 * {@code NotEqual(x, mask_value)} then {@code Any(axis=-1)}, whose result the next layer takes as {@code mask=}: the
 * mask Keras would derive from the Masking layer itself (a Sequential model records neither). Where they recompute
 * exactly that mask, from the Masking layer's own input and its {@code mask_value} (or a {@code mask_zero}
 * Embedding's input and 0), for a layer reading that Masking or Embedding layer, the reader drops them and the
 * {@code mask=} input: the graph is then the one a Sequential model records, and Keras, loading it, derives the same mask.
 * Any other use stays in the graph (graft refuses such operation layers by name).
 */
final class KerasMaskOps {
    private KerasMaskOps() {
    }

    /** {@code any}: the layer giving the mask ({@code Any}, or the {@code NotEqual} itself when {@code reduced} is false). */
    private record MaskOp(String any, String notEqual, TensorRef source, double value, boolean reduced) {
    }

    /** {@code layers} without the operation layers that recompute a Masking or Embedding layer's mask. */
    static List<Layer> fold(JsonNode rawLayers, List<Layer> layers, List<TensorRef> outputs) {
        Map<String, JsonNode> raw = new HashMap<>();
        for (JsonNode lj : rawLayers) raw.put(name(lj), lj);
        Map<String, MaskOp> ops = new HashMap<>();
        for (JsonNode lj : rawLayers) {
            MaskOp op = maskOp(lj, raw);
            if (op != null) ops.put(op.any(), op);
        }
        if (ops.isEmpty()) return layers;
        Map<String, Layer> byName = new HashMap<>();
        for (Layer l : layers) byName.put(l.name(), l);
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) {
            JsonNode nodes = raw.containsKey(l.name()) ? raw.get(l.name()).path("inbound_nodes") : null;
            if (nodes == null || !nodes.isArray() || nodes.size() != l.calls().size()) {
                out.add(l);
                continue;
            }
            List<LayerCall> calls = new ArrayList<>();
            boolean changed = false;
            for (int k = 0; k < l.calls().size(); k++) {
                LayerCall call = l.calls().get(k);
                MaskOp op = ops.get(maskSource(nodes.get(k)));
                if (op != null && !call.inputs().isEmpty() && recomputes(op, byName.get(call.inputs().get(0).layer()))) {
                    List<TensorRef> inputs = new ArrayList<>();
                    for (TensorRef r : call.inputs()) if (!r.layer().equals(op.any())) inputs.add(r);
                    call = new LayerCall(inputs, call.kwargs());
                    changed = true;
                }
                calls.add(call);
            }
            out.add(changed ? l.withCalls(calls) : l);
        }
        // the operation layers go when nothing reads them any more: the Any layers, then the NotEqual layers only they read
        Set<String> removed = new HashSet<>();
        for (String any : ops.keySet()) if (!readers(out, removed).contains(any)) removed.add(any);
        for (TensorRef o : outputs) removed.remove(o.layer());
        for (MaskOp op : ops.values()) {
            if (op.reduced() && removed.contains(op.any()) && !readers(out, removed).contains(op.notEqual())) removed.add(op.notEqual());
        }
        for (TensorRef o : outputs) removed.remove(o.layer());
        List<Layer> kept = new ArrayList<>();
        for (Layer l : out) if (!removed.contains(l.name())) kept.add(l);
        return kept;
    }

    /** The layers whose outputs the layers not {@code removed} read. */
    private static Set<String> readers(List<Layer> layers, Set<String> removed) {
        Set<String> read = new HashSet<>();
        for (Layer l : layers) {
            if (removed.contains(l.name())) continue;
            for (LayerCall c : l.calls()) for (TensorRef r : c.inputs()) read.add(r.layer());
        }
        return read;
    }

    /** The mask layer the op recomputes: a Masking with the same mask value, or a mask_zero Embedding for 0, reading the same tensor. */
    private static boolean recomputes(MaskOp op, Layer reader) {
        if (reader == null || reader.calls().size() != 1 || reader.calls().get(0).inputs().size() != 1) return false;
        TensorRef in = reader.calls().get(0).inputs().get(0);
        if (!in.equals(op.source())) return false;
        if ("Masking".equals(reader.className())) return op.reduced() && reader.config().path("mask_value").asDouble(0.0) == op.value();
        return "Embedding".equals(reader.className()) && !op.reduced() && reader.config().path("mask_zero").asBoolean(false) && op.value() == 0.0;
    }

    /** {@code Any(NotEqual(x, v), axis=-1)} (a Masking layer's mask) or {@code NotEqual(x, v)} (an Embedding's), one call each; or null. */
    private static MaskOp maskOp(JsonNode lj, Map<String, JsonNode> raw) {
        String cls = lj.path("class_name").asText();
        if ("NotEqual".equals(cls)) {
            MaskOp ne = notEqual(lj);
            return ne == null ? null : new MaskOp(ne.notEqual(), ne.notEqual(), ne.source(), ne.value(), false);
        }
        if (!"Any".equals(cls)) return null;
        JsonNode c = lj.path("config");
        JsonNode axis = c.path("axis");
        if (axis.isArray() && axis.size() == 1) axis = axis.get(0);
        if (!axis.isIntegralNumber() || axis.asInt() != -1 || c.path("keepdims").asBoolean(false)) return null;
        JsonNode node = single(lj);
        if (node == null || node.path("args").size() != 1) return null;
        String ne = history(node.path("args").get(0));
        MaskOp inner = ne == null || !raw.containsKey(ne) || !"NotEqual".equals(raw.get(ne).path("class_name").asText()) ? null : notEqual(raw.get(ne));
        return inner == null ? null : new MaskOp(name(lj), ne, inner.source(), inner.value(), true);
    }

    private static MaskOp notEqual(JsonNode lj) {
        JsonNode node = single(lj);
        if (node == null || node.path("args").size() != 2 || !node.path("args").get(1).isNumber()) return null;
        JsonNode x = node.path("args").get(0);
        if (history(x) == null) return null;
        JsonNode h = x.path("config").path("keras_history");
        return new MaskOp(name(lj), name(lj), new TensorRef(h.get(0).asText(), h.path(1).asInt(0), h.path(2).asInt(0)),
                node.path("args").get(1).asDouble(), false);
    }

    private static JsonNode single(JsonNode lj) {
        JsonNode nodes = lj.path("inbound_nodes");
        if (!nodes.isArray() || nodes.size() != 1 || !nodes.get(0).isObject()) return null;
        JsonNode kwargs = nodes.get(0).path("kwargs");
        return kwargs.isMissingNode() || kwargs.isEmpty() ? nodes.get(0) : null;
    }

    /** The layer whose tensor a call passes as {@code mask=}, or null. */
    private static String maskSource(JsonNode node) {
        return node.isObject() ? history(node.path("kwargs").path("mask")) : null;
    }

    private static String history(JsonNode tensor) {
        if (!tensor.isObject() || !"__keras_tensor__".equals(tensor.path("class_name").asText())) return null;
        JsonNode h = tensor.path("config").path("keras_history");
        return h.isArray() && h.size() > 0 && h.get(0).isTextual() ? h.get(0).asText() : null;
    }

    private static String name(JsonNode lj) {
        if (lj.hasNonNull("name")) return lj.get("name").asText();
        return lj.path("config").path("name").asText("");
    }
}
