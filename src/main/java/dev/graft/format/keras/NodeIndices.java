package dev.graft.format.keras;

import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Makes every tensor reference count a layer's calls from 0 within this model. tf.keras numbers
 * the calls of a nested model from 1, because the nested model's own construction was its call 0
 * (Keras's {@code _should_skip_first_node}); a reference then names a call one past the calls
 * the configuration lists.
 */
final class NodeIndices {
    private NodeIndices() {
    }

    static ModelGraph renumber(ModelGraph graph) {
        Map<String, TreeSet<Integer>> referenced = new HashMap<>();
        for (Layer l : graph.layers()) {
            for (LayerCall c : l.calls()) for (TensorRef r : c.inputs()) note(referenced, r);
        }
        for (TensorRef r : graph.outputs()) note(referenced, r);

        Map<String, Integer> shift = new HashMap<>();
        for (Map.Entry<String, TreeSet<Integer>> e : referenced.entrySet()) {
            Layer target = graph.layer(e.getKey());
            if (target == null) throw new KerasConfigException("a layer refers to '" + e.getKey() + "', which the model does not have");
            int calls = Math.max(1, target.calls().size());
            int max = e.getValue().last();
            if (max < calls) continue;
            if (e.getValue().first() >= 1 && max - 1 < calls) {
                shift.put(e.getKey(), 1);
            } else {
                throw new KerasConfigException("a layer refers to call " + max + " of '" + e.getKey() + "', which is called " + calls + " time(s)");
            }
        }
        if (shift.isEmpty()) return graph;
        List<Layer> layers = new ArrayList<>();
        for (Layer l : graph.layers()) {
            List<LayerCall> calls = new ArrayList<>();
            for (LayerCall c : l.calls()) calls.add(new LayerCall(shifted(c.inputs(), shift), c.kwargs()));
            layers.add(l.withCalls(calls));
        }
        return graph.withLayers(layers, graph.inputs(), shifted(graph.outputs(), shift));
    }

    private static void note(Map<String, TreeSet<Integer>> referenced, TensorRef r) {
        referenced.computeIfAbsent(r.layer(), k -> new TreeSet<>()).add(r.node());
    }

    private static List<TensorRef> shifted(List<TensorRef> refs, Map<String, Integer> shift) {
        List<TensorRef> out = new ArrayList<>();
        for (TensorRef r : refs) out.add(new TensorRef(r.layer(), r.node() - shift.getOrDefault(r.layer(), 0), r.tensor()));
        return out;
    }
}
