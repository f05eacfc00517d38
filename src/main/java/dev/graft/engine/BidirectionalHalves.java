package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasBidirectionalGruImport;
import dev.graft.engine.keras.KerasFeatureSliceImport;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code Bidirectional(merge_mode=None)} returns its forward and backward outputs as two tensors. The engine computes
 * the layer with {@code concat} (the same layer and weights, so training writes back to it) and hands on each half
 * through a slice of the features: tensor 0 reads features {@code [0, units)}, tensor 1 {@code [units, 2·units)}.
 */
final class BidirectionalHalves {
    private BidirectionalHalves() {
    }

    static ModelGraph apply(ModelGraph flat) {
        Map<String, Long> units = new HashMap<>();
        for (Layer l : flat.layers()) {
            boolean bidirectional = "Bidirectional".equals(l.className()) || KerasBidirectionalGruImport.KERAS_CLASS.equals(l.className());
            if (bidirectional && l.config().path("merge_mode").isNull() && l.calls().size() == 1) {
                units.put(l.name(), l.config().path("layer").path("config").path("units").asLong());
            }
        }
        if (units.isEmpty()) return flat;
        List<Layer> layers = new ArrayList<>();
        for (Layer l : flat.layers()) {
            Long u = units.get(l.name());
            if (u != null) {
                ObjectNode c = l.config().deepCopy();
                c.put("merge_mode", "concat");
                layers.add(l.withConfig(c));
                for (int half = 0; half < 2; half++) layers.add(slice(l.name(), half, u));
                continue;
            }
            List<LayerCall> calls = new ArrayList<>();
            for (LayerCall call : l.calls()) calls.add(new LayerCall(redirect(call.inputs(), units), call.kwargs()));
            layers.add(l.calls().isEmpty() ? l : l.withCalls(calls));
        }
        return flat.withLayers(layers, flat.inputs(), redirect(flat.outputs(), units));
    }

    private static Layer slice(String bidirectional, int half, long units) {
        ObjectNode c = Json.object();
        String name = sliceName(bidirectional, half);
        c.put("name", name);
        c.put("graft_from", half * units);
        c.put("graft_to", (half + 1) * units);
        return new Layer(name, KerasFeatureSliceImport.KERAS_CLASS, c, List.of(new LayerCall(List.of(TensorRef.of(bidirectional)), Json.object())),
                List.of(), null);
    }

    private static String sliceName(String bidirectional, int half) {
        return bidirectional + (half == 0 ? "_graft_forward" : "_graft_backward");
    }

    private static List<TensorRef> redirect(List<TensorRef> refs, Map<String, Long> units) {
        List<TensorRef> out = new ArrayList<>();
        for (TensorRef r : refs) out.add(units.containsKey(r.layer()) ? TensorRef.of(sliceName(r.layer(), r.tensor())) : r);
        return out;
    }
}
