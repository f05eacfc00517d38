package dev.graft.engine;

import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Keras GRU's (or SimpleRNN's) state is its last output: with {@code return_state=True} and {@code return_sequences=False} it
 * returns the same tensor twice. The engine's GRU returns its output only, so every use of the state (tensor 1)
 * reads the output (tensor 0) instead, and the layer is configured without return_state. A GRU returning sequences
 * and its state is refused by its argument claims (its state would be the sequence's last step).
 */
final class GruStateRewrite {
    /** Recurrent layers whose state is their output (a SimpleRNN's too: h' = σ(x·W + h·U + b) is both). */
    private static final Set<String> SAME_STATE = Set.of("GRU", "SimpleRNN", dev.graft.engine.keras.KerasSimpleRnnImport.KERAS_CLASS);

    private GruStateRewrite() {
    }

    static ModelGraph apply(ModelGraph flat) {
        Set<String> grus = new HashSet<>();
        for (Layer l : flat.layers()) {
            if (SAME_STATE.contains(l.className()) && l.config().path("return_state").asBoolean(false)
                    && !l.config().path("return_sequences").asBoolean(false)) {
                grus.add(l.name());
            }
        }
        if (grus.isEmpty()) return flat;
        List<Layer> layers = new ArrayList<>();
        for (Layer l : flat.layers()) {
            if (grus.contains(l.name())) {
                var c = l.config().deepCopy();
                c.put("return_state", false);
                l = l.withConfig(c);
            }
            List<LayerCall> calls = new ArrayList<>();
            for (LayerCall call : l.calls()) calls.add(new LayerCall(redirect(call.inputs(), grus), call.kwargs()));
            layers.add(l.calls().isEmpty() ? l : l.withCalls(calls));
        }
        return flat.withLayers(layers, flat.inputs(), redirect(flat.outputs(), grus));
    }

    private static List<TensorRef> redirect(List<TensorRef> refs, Set<String> grus) {
        List<TensorRef> out = new ArrayList<>();
        for (TensorRef r : refs) out.add(grus.contains(r.layer()) && r.tensor() > 0 ? new TensorRef(r.layer(), r.node(), 0) : r);
        return out;
    }
}
