package dev.graft.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.MaskFlow;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A functional Keras 3 model records the masks Keras derives from its layers as operation layers: a {@code Masking}
 * layer's as {@code NotEqual(x, mask_value)} then {@code Any(axis=-1)}, a {@code mask_zero} Embedding's as
 * {@code NotEqual(x, 0)}, an attention layer's output mask as {@code ConvertToTensor} of its query's, a merge's as
 * {@code LogicalOr} of its inputs' masks; the next layer takes the result as {@code mask=} (a Sequential model records
 * none of it). graft traces those masks from the layers itself ({@code MaskFlow}), so a {@code mask=} argument is
 * dropped, with the operation layers, only where it provably is such a mask: every operation in its chain is one of
 * these, each {@code NotEqual}/{@code Any} recomputes a Masking or mask_zero Embedding layer's own mask (same input,
 * same value), and those layers are exactly the ones whose mask graft traces ({@code MaskFlow.sources}) on the input the
 * mask belongs to (the first, or the i-th for a list; a None entry where graft traces none). Any other mask (a user's
 * {@code not_equal(x, 5)}, a mask from another input, any other operation) stays an input with its operation layers,
 * which graft refuses by name: computing without that mask would be a silent wrong number. Operation layers that
 * nothing reads (Keras records a mask for every masked tensor) are dropped.
 */
final class KerasMaskOps {
    private KerasMaskOps() {
    }

    /** {@code layers} without the {@code mask=} inputs that repeat a mask graft traces, and without the operation layers nothing reads. */
    static List<Layer> fold(JsonNode rawLayers, List<Layer> layers, List<TensorRef> outputs) {
        Map<String, JsonNode> raw = new HashMap<>();
        for (JsonNode lj : rawLayers) raw.put(name(lj), lj);
        Set<String> operations = operations(rawLayers);
        if (operations.isEmpty()) return layers;
        Map<String, Layer> byName = new HashMap<>();
        for (Layer l : layers) byName.put(l.name(), l);
        Map<String, Set<String>> bases = new HashMap<>();
        ModelGraph graph = new ModelGraph("", "", layers, List.of(), outputs, null, null, null);
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
                LayerCall folded = withoutTracedMask(call, nodes.get(k), raw, byName, bases, graph);
                changed |= folded != call;
                calls.add(folded);
            }
            out.add(changed ? l.withCalls(calls) : l);
        }
        return dropUnread(out, operations, outputs);
    }

    /** The call without its {@code mask=} inputs when they provably are the mask graft traces; else the call itself. */
    private static LayerCall withoutTracedMask(LayerCall call, JsonNode node, Map<String, JsonNode> raw, Map<String, Layer> byName,
            Map<String, Set<String>> bases, ModelGraph graph) {
        if (!node.isObject() || !node.path("kwargs").has("mask")) return call;
        // the mask's tensors sit where KerasGraphParser.call put them: after the args and the keyword arguments before it
        int from = count(node.path("args"));
        Iterator<Map.Entry<String, JsonNode>> it = node.path("kwargs").fields();
        int to = from;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if ("mask".equals(e.getKey())) {
                to = from + count(e.getValue());
                break;
            }
            from += count(e.getValue());
        }
        if (to == from || to > call.inputs().size()) return call;
        List<TensorRef> mask = call.inputs().subList(from, to);
        List<TensorRef> rest = new ArrayList<>(call.inputs().subList(0, from));
        rest.addAll(call.inputs().subList(to, call.inputs().size()));
        // mask (or mask[i]) belongs to the call's first (i-th) input: it must be exactly the mask graft traces on that input
        JsonNode maskArg = node.path("kwargs").path("mask");
        List<JsonNode> perInput = new ArrayList<>();
        if (maskArg.isArray()) maskArg.forEach(perInput::add);
        else perInput.add(maskArg);
        if (perInput.size() > rest.size()) return call;
        for (int i = 0; i < perInput.size(); i++) {
            JsonNode m = perInput.get(i);
            Set<String> traced = new HashSet<>();
            for (Layer source : MaskFlow.sources(graph, rest.get(i))) traced.add(source.name());
            if (m.isNull()) {
                if (!traced.isEmpty()) return call;
                continue;
            }
            String op = history(m);
            Set<String> b = op == null ? null : bases(op, raw, byName, bases, new HashSet<>());
            if (b == null || !b.equals(traced)) return call;
        }
        int removed = to - from;
        ObjectNode kwargs = call.kwargs().deepCopy();
        for (String key : KerasGraphParser.TENSOR_KEYWORDS) {
            JsonNode index = kwargs.path(key).path(KerasGraphParser.TENSOR_INDEX);
            if (index.isInt() && index.asInt() >= to) ((ObjectNode) kwargs.get(key)).put(KerasGraphParser.TENSOR_INDEX, index.asInt() - removed);
        }
        return new LayerCall(rest, kwargs);
    }

    /**
     * The Masking and mask_zero Embedding layers whose masks the operation layer {@code op} provably recomputes (a merge
     * of several), or null when it is not such a mask: {@code NotEqual(x, 0)} of an Embedding's input, {@code Any(NotEqual(x, v), -1)}
     * of a Masking(v)'s input, {@code ConvertToTensor} and {@code LogicalOr} (Keras's merge rule) of such masks.
     */
    private static Set<String> bases(String op, Map<String, JsonNode> raw, Map<String, Layer> byName, Map<String, Set<String>> memo, Set<String> seen) {
        if (memo.containsKey(op)) return memo.get(op);
        if (!seen.add(op)) return null;
        JsonNode lj = raw.get(op);
        Set<String> result = null;
        if (lj != null && isOperation(lj)) {
            JsonNode node = single(lj);
            JsonNode args = node == null ? null : node.path("args");
            switch (lj.path("class_name").asText()) {
                case "NotEqual" -> {
                    TensorRef x = notEqualInput(lj);
                    if (x != null && args.get(1).asDouble() == 0.0) result = readers(byName, x, "Embedding", l -> l.config().path("mask_zero").asBoolean(false));
                }
                case "Any" -> {
                    JsonNode c = lj.path("config");
                    JsonNode axis = c.path("axis");
                    if (axis.isArray() && axis.size() == 1) axis = axis.get(0);
                    String ne = args != null && args.size() == 1 ? history(args.get(0)) : null;
                    JsonNode neLayer = ne == null ? null : raw.get(ne);
                    TensorRef x = neLayer == null || !"NotEqual".equals(neLayer.path("class_name").asText()) || !isOperation(neLayer) ? null : notEqualInput(neLayer);
                    if (x != null && axis.isIntegralNumber() && axis.asInt() == -1 && !c.path("keepdims").asBoolean(false)) {
                        double v = single(neLayer).path("args").get(1).asDouble();
                        result = readers(byName, x, "Masking", l -> l.config().path("mask_value").asDouble(0.0) == v);
                    }
                }
                case "ConvertToTensor" -> {
                    JsonNode dtype = lj.path("config").path("dtype");
                    boolean same = dtype.isMissingNode() || dtype.isNull() || "bool".equals(dtype.asText());
                    String m = same && args.size() == 1 ? history(args.get(0)) : null;
                    if (m != null) result = bases(m, raw, byName, memo, seen);
                }
                case "LogicalOr" -> {
                    String a = args != null && args.size() == 2 ? history(args.get(0)) : null;
                    String b = a == null ? null : history(args.get(1));
                    Set<String> ba = b == null ? null : bases(a, raw, byName, memo, seen);
                    Set<String> bb = ba == null ? null : bases(b, raw, byName, memo, seen);
                    if (bb != null) {
                        result = new HashSet<>(ba);
                        result.addAll(bb);
                    }
                }
                default -> result = null;
            }
        }
        memo.put(op, result);
        return result;
    }

    /** The layers of class {@code cls} that read exactly {@code x} in their one call and pass {@code test}, or null when none. */
    private static Set<String> readers(Map<String, Layer> byName, TensorRef x, String cls, java.util.function.Predicate<Layer> test) {
        Set<String> names = new HashSet<>();
        for (Layer l : byName.values()) {
            if (!cls.equals(l.className()) || l.calls().size() != 1 || l.calls().get(0).inputs().size() != 1) continue;
            if (l.calls().get(0).inputs().get(0).equals(x) && test.test(l)) names.add(l.name());
        }
        return names.isEmpty() ? null : names;
    }

    /** {@code x} of {@code NotEqual(x, number)}, one call without keyword arguments; or null. */
    private static TensorRef notEqualInput(JsonNode lj) {
        JsonNode node = single(lj);
        if (node == null || node.path("args").size() != 2 || !node.path("args").get(1).isNumber()) return null;
        JsonNode x = node.path("args").get(0);
        if (history(x) == null) return null;
        JsonNode h = x.path("config").path("keras_history");
        return new TensorRef(h.get(0).asText(), h.path(1).asInt(0), h.path(2).asInt(0));
    }

    /** Keras 3's operations that compute masks, by class: its legacy .h5 config names them without a module. */
    private static final Set<String> MASK_OPERATIONS = Set.of("NotEqual", "Equal", "Any", "All", "ConvertToTensor", "LogicalOr", "LogicalAnd",
            "LogicalNot", "ExpandDims", "Cast", "Squeeze");

    private static boolean isOperation(JsonNode lj) {
        String module = lj.path("module").asText("");
        return module.startsWith("keras.src.ops.") || module.isEmpty() && MASK_OPERATIONS.contains(lj.path("class_name").asText());
    }

    /** The names of the layer entries of a Keras 3 config that are Keras's operations (not layers). */
    private static Set<String> operations(JsonNode layers) {
        Set<String> names = new HashSet<>();
        for (JsonNode lj : layers) if (isOperation(lj)) names.add(name(lj));
        return names;
    }

    /** The layers without the operations that nothing reads, directly or through other dropped ones (model outputs are read). */
    private static List<Layer> dropUnread(List<Layer> layers, Set<String> operations, List<TensorRef> outputs) {
        List<Layer> kept = new ArrayList<>(layers);
        boolean changed = true;
        while (changed) {
            Set<String> read = new HashSet<>();
            for (Layer l : kept) for (LayerCall c : l.calls()) for (TensorRef r : c.inputs()) read.add(r.layer());
            for (TensorRef r : outputs) read.add(r.layer());
            changed = kept.removeIf(l -> operations.contains(l.name()) && !read.contains(l.name()));
        }
        return kept;
    }

    /** How many Keras tensors a value holds (as KerasGraphParser collects them). */
    private static int count(JsonNode value) {
        if (value.isObject() && "__keras_tensor__".equals(value.path("class_name").asText())) return 1;
        int n = 0;
        if (value.isArray() || value.isObject()) for (JsonNode v : value) n += count(v);
        return n;
    }

    private static JsonNode single(JsonNode lj) {
        JsonNode nodes = lj.path("inbound_nodes");
        if (!nodes.isArray() || nodes.size() != 1 || !nodes.get(0).isObject()) return null;
        JsonNode kwargs = nodes.get(0).path("kwargs");
        return kwargs.isMissingNode() || kwargs.isEmpty() ? nodes.get(0) : null;
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
