package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An {@code EinsumDense}'s activation becomes an {@code Activation} layer of its own right after it
 * ({@code <layer>_graft_activation}, read by every reader of the layer and by the model's outputs), so that every
 * activation graft computes (glu included) applies to it as to any Activation layer; the layer keeps its name and weights
 * with a linear activation.
 */
final class EinsumDenseActivation {
    private EinsumDenseActivation() {
    }

    static ModelGraph apply(ModelGraph flat) {
        Set<String> split = new HashSet<>();
        for (Layer l : flat.layers()) {
            String a = l.config().path("activation").asText("linear");
            if ("EinsumDense".equals(l.className()) && !"linear".equals(a) && !l.calls().isEmpty()) split.add(l.name());
        }
        if (split.isEmpty()) return flat;
        List<Layer> layers = new ArrayList<>();
        for (Layer l : flat.layers()) {
            List<LayerCall> calls = new ArrayList<>();
            for (LayerCall call : l.calls()) calls.add(new LayerCall(redirect(call.inputs(), split), call.kwargs()));
            Layer redirected = l.calls().isEmpty() ? l : l.withCalls(calls);
            if (!split.contains(l.name())) {
                layers.add(redirected);
                continue;
            }
            ObjectNode c = l.config().deepCopy();
            c.put("activation", "linear");
            layers.add(redirected.withConfig(c));
            ObjectNode a = Json.object();
            a.put("name", activationName(l.name()));
            a.set("activation", l.config().get("activation"));
            layers.add(new Layer(activationName(l.name()), "Activation", a, List.of(new LayerCall(List.of(TensorRef.of(l.name())), Json.object())),
                    List.of(), null));
        }
        return flat.withLayers(layers, flat.inputs(), redirect(flat.outputs(), split));
    }

    private static String activationName(String layer) {
        return layer + "_graft_activation";
    }

    private static List<TensorRef> redirect(List<TensorRef> refs, Set<String> split) {
        List<TensorRef> out = new ArrayList<>();
        for (TensorRef r : refs) out.add(split.contains(r.layer()) ? TensorRef.of(activationName(r.layer())) : r);
        return out;
    }
}
