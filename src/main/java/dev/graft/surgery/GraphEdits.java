package dev.graft.surgery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Small pure edits of a model graph (as onnx.compose does them): rename layers everywhere they
 * are referenced, redirect the consumers of one tensor to another, freeze layers.
 */
public final class GraphEdits {
    private GraphEdits() {
    }

    /** Renames layers (old name to new name; absent names stay) in layers, calls, inputs and outputs. */
    public static ModelGraph rename(ModelGraph g, Map<String, String> names) {
        if (names.isEmpty()) return g;
        UnaryOperator<TensorRef> ref = r -> names.containsKey(r.layer()) ? new TensorRef(names.get(r.layer()), r.node(), r.tensor()) : r;
        List<Layer> layers = new ArrayList<>();
        for (Layer l : g.layers()) {
            Layer renamed = names.containsKey(l.name()) ? l.withName(names.get(l.name())) : l;
            layers.add(renamed.withCalls(mapCalls(renamed.calls(), ref)));
        }
        return g.withLayers(layers, g.inputs().stream().map(ref).toList(), g.outputs().stream().map(ref).toList());
    }

    /** Every call that consumed {@code from} consumes {@code to} instead. */
    public static List<Layer> redirect(List<Layer> layers, TensorRef from, TensorRef to) {
        UnaryOperator<TensorRef> ref = r -> r.equals(from) ? to : r;
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) out.add(l.withCalls(mapCalls(l.calls(), ref)));
        return out;
    }

    /** The layer with training switched off: its config says so and its weights are marked non-trainable. */
    public static Layer freeze(Layer l) {
        ObjectNode c = l.config().deepCopy();
        c.put("trainable", false);
        List<Weight> w = l.weights().stream().map(x -> x.withTrainable(false)).toList();
        return l.withConfig(c).withWeights(w);
    }

    private static List<LayerCall> mapCalls(List<LayerCall> calls, UnaryOperator<TensorRef> ref) {
        List<LayerCall> out = new ArrayList<>();
        for (LayerCall c : calls) out.add(new LayerCall(c.inputs().stream().map(ref).toList(), c.kwargs()));
        return out;
    }
}
