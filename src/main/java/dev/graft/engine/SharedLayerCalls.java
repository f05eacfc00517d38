package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A layer Keras calls more than once (a shared layer: one set of weights applied to several tensors) becomes, for the
 * engine, one layer per call: the first keeps the layer's name, call {@code k} is named {@code <name>__graft_call_<k>},
 * each with the same configuration and the same weights, and every tensor of call {@code k} is read from its own copy.
 * The network computes what Keras does; training ties the copies into one variable ({@code SharedWeightTies}). The
 * model graft reads and writes keeps the shared layer as it is.
 */
public final class SharedLayerCalls {
    private SharedLayerCalls() {
    }

    /** The model with every call of a shared layer as a layer of its own; the model itself when no layer is shared. */
    static ModelGraph expand(ModelGraph flat) {
        if (flat.layers().stream().noneMatch(l -> l.calls().size() > 1)) return flat;
        Map<String, List<String>> callNames = callNames(flat);
        List<Layer> layers = new ArrayList<>();
        for (Layer l : flat.layers()) {
            List<String> names = callNames.get(l.name());
            if (names == null) {
                layers.add(l.withCalls(redirected(l.calls(), callNames)));
                continue;
            }
            for (int k = 0; k < l.calls().size(); k++) {
                ObjectNode c = l.config().deepCopy();
                c.put("name", names.get(k));
                List<LayerCall> one = redirected(List.of(l.calls().get(k)), callNames);
                layers.add(new Layer(names.get(k), l.className(), c, one, l.weights(), l.nested(), l.declaredOutputShapes()));
            }
        }
        List<TensorRef> outputs = flat.outputs().stream().map(r -> redirected(r, callNames)).toList();
        return flat.withLayers(inCallOrder(layers), flat.inputs(), outputs);
    }

    /**
     * The engine's layer of each call of each shared layer of a flattened model, by the shared layer's name: the first is
     * the layer's own name, call {@code k} is {@code <name>__graft_call_<k>} (a suffix added while that is taken).
     */
    public static Map<String, List<String>> callNames(ModelGraph flat) {
        Set<String> taken = new HashSet<>();
        for (Layer l : flat.layers()) taken.add(l.name());
        Map<String, List<String>> callNames = new HashMap<>();
        for (Layer l : flat.layers()) {
            if (l.calls().size() < 2) continue;
            List<String> names = new ArrayList<>();
            names.add(l.name());
            for (int k = 1; k < l.calls().size(); k++) {
                String name = l.name() + "__graft_call_" + k;
                for (int i = 1; taken.contains(name); i++) name = l.name() + "__graft_call_" + k + "_" + i;
                taken.add(name);
                names.add(name);
            }
            callNames.put(l.name(), names);
        }
        return callNames;
    }

    /**
     * The layers with each after the layers it reads, otherwise in their order: a later call of a shared layer may read
     * a layer that comes after the shared layer (the same attention on its own output), and the engine's import reads
     * the layers in order.
     */
    private static List<Layer> inCallOrder(List<Layer> layers) {
        List<Layer> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        List<Layer> waiting = new ArrayList<>(layers);
        while (!waiting.isEmpty()) {
            Layer next = null;
            for (Layer l : waiting) {
                if (l.calls().stream().allMatch(c -> c.inputs().stream().allMatch(r -> placed.contains(r.layer())))) {
                    next = l;
                    break;
                }
            }
            if (next == null) {
                ordered.addAll(waiting); // a cycle or a dangling reference: the engine's import reports it
                break;
            }
            waiting.remove(next);
            ordered.add(next);
            placed.add(next.name());
        }
        return ordered;
    }

    private static List<LayerCall> redirected(List<LayerCall> calls, Map<String, List<String>> callNames) {
        List<LayerCall> out = new ArrayList<>();
        for (LayerCall c : calls) out.add(new LayerCall(c.inputs().stream().map(r -> redirected(r, callNames)).toList(), c.kwargs()));
        return out;
    }

    private static TensorRef redirected(TensorRef r, Map<String, List<String>> callNames) {
        List<String> names = callNames.get(r.layer());
        if (names == null || r.node() >= names.size()) return r;
        return new TensorRef(names.get(r.node()), 0, r.tensor());
    }
}
