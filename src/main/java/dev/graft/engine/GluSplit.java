package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasActivationNames;
import dev.graft.engine.keras.KerasGluImport;
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
 * Keras's {@code glu} activation halves the last axis, which no DL4J activation function can. An {@code Activation('glu')}
 * becomes graft's glu layer ({@link KerasGluImport}) under its own name; any other layer with {@code activation='glu'}
 * keeps its name and weights (so training writes back to it) with a linear activation, followed by a glu layer named
 * {@code <layer>_graft_glu} that every reader of the layer, and the model's outputs, read instead.
 */
final class GluSplit {
    private GluSplit() {
    }

    static ModelGraph apply(ModelGraph flat) {
        Set<String> followed = new HashSet<>();
        boolean any = false;
        List<Layer> layers = new ArrayList<>();
        for (Layer l : flat.layers()) {
            if (!KerasActivationNames.GLU.equals(l.config().path("activation").asText(""))) continue;
            any = true;
            if (!isActivationLayer(l)) followed.add(l.name());
        }
        if (!any) return flat;
        for (Layer l : flat.layers()) {
            boolean glu = KerasActivationNames.GLU.equals(l.config().path("activation").asText(""));
            List<LayerCall> calls = new ArrayList<>();
            for (LayerCall call : l.calls()) calls.add(new LayerCall(redirect(call.inputs(), followed), call.kwargs()));
            Layer redirected = l.calls().isEmpty() ? l : l.withCalls(calls);
            if (glu && isActivationLayer(l)) {
                layers.add(new Layer(l.name(), KerasGluImport.KERAS_CLASS, gluConfig(l.name()), redirected.calls(), List.of(), null));
            } else if (glu) {
                ObjectNode c = l.config().deepCopy();
                c.put("activation", "linear");
                layers.add(redirected.withConfig(c));
                layers.add(new Layer(gluName(l.name()), KerasGluImport.KERAS_CLASS, gluConfig(gluName(l.name())),
                        List.of(new LayerCall(List.of(TensorRef.of(l.name())), Json.object())), List.of(), null));
            } else {
                layers.add(redirected);
            }
        }
        return flat.withLayers(layers, flat.inputs(), redirect(flat.outputs(), followed));
    }

    private static boolean isActivationLayer(Layer l) {
        return "Activation".equals(l.className())
                || KerasActivationNames.PLUGIN_CLASSES.get("Activation").equals(l.className());
    }

    private static ObjectNode gluConfig(String name) {
        ObjectNode c = Json.object();
        c.put("name", name);
        c.put("activation", KerasActivationNames.GLU);
        return c;
    }

    static String gluName(String layer) {
        return layer + "_graft_glu";
    }

    private static List<TensorRef> redirect(List<TensorRef> refs, Set<String> followed) {
        List<TensorRef> out = new ArrayList<>();
        for (TensorRef r : refs) out.add(followed.contains(r.layer()) ? TensorRef.of(gluName(r.layer())) : r);
        return out;
    }
}
