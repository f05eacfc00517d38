package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasStepKeepImport;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Keras's {@code Masking} outputs {@code inputs * any(inputs != mask_value, axis=-1)}: masked steps become 0, which
 * every layer reading its values (a Dense per step, a Conv1D, Flatten, the model's output) sees. The engine's Masking
 * passes values unchanged, because the layers that apply the mask find masked steps by their value. With a
 * {@code mask_value} other than 0 (with 0 both are the same), a Masking whose values something reads becomes two: the
 * unchanged one, renamed {@code <name>__graft_raw}, which the mask readers keep reading (an LSTM, GRU, SimpleRNN or
 * Bidirectional reading it directly, the mask vertices of {@link MaskRoutes}), and a
 * {@value KerasStepKeepImport#KERAS_CLASS_ZEROES} vertex under the layer's own name computing Keras's output for the rest.
 */
final class MaskingZeroes {
    private static final Set<String> DIRECT_READERS = Set.of("LSTM", "GRU", "SimpleRNN", "Bidirectional");
    private static final Set<String> MASK_VERTICES = Set.of(KerasStepKeepImport.KERAS_CLASS, KerasStepKeepImport.KERAS_CLASS_AVERAGE);

    private MaskingZeroes() {
    }

    /**
     * @param model    the model after {@link MaskRoutes}
     * @param original the flat model before the engine's rewrites (which classes read a mask directly)
     */
    static ModelGraph apply(ModelGraph model, ModelGraph original) {
        ModelGraph out = model;
        for (Layer l : model.layers()) {
            if ("Masking".equals(l.className()) && l.config().path("mask_value").asDouble(0.0) != 0.0 && valuesRead(out, original, l.name())) {
                out = split(out, original, l);
            }
        }
        return out;
    }

    private static boolean valuesRead(ModelGraph model, ModelGraph original, String masking) {
        for (TensorRef o : model.outputs()) if (o.layer().equals(masking)) return true;
        for (Layer l : model.layers()) {
            for (LayerCall c : l.calls()) {
                for (int i = 0; i < c.inputs().size(); i++) {
                    if (c.inputs().get(i).layer().equals(masking) && !readsMask(l, i, original)) return true;
                }
            }
        }
        return false;
    }

    /** Whether input {@code i} of the layer is read for its mask (so it needs the unchanged values). */
    private static boolean readsMask(Layer l, int i, ModelGraph original) {
        if (MASK_VERTICES.contains(l.className())) return i == 1;
        Layer before = original.hasLayer(l.name()) ? original.layer(l.name()) : null;
        return i == 0 && before != null && DIRECT_READERS.contains(before.className());
    }

    private static ModelGraph split(ModelGraph model, ModelGraph original, Layer masking) {
        String raw = masking.name() + "__graft_raw";
        List<Layer> layers = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (l == masking) {
                ObjectNode c = l.config().deepCopy();
                c.put("name", raw);
                layers.add(new Layer(raw, l.className(), c, l.calls(), l.weights(), null, l.declaredOutputShapes()));
                ObjectNode z = Json.object();
                z.put("name", l.name());
                z.put(KerasStepKeepImport.MASK_VALUE_KEY, l.config().path("mask_value").asDouble(0.0));
                LayerCall call = new LayerCall(List.of(TensorRef.of(raw), TensorRef.of(raw)), Json.object());
                layers.add(new Layer(l.name(), KerasStepKeepImport.KERAS_CLASS_ZEROES, z, List.of(call), List.of(), null));
                continue;
            }
            List<LayerCall> calls = new ArrayList<>();
            boolean changed = false;
            for (LayerCall c : l.calls()) {
                List<TensorRef> inputs = new ArrayList<>(c.inputs());
                for (int i = 0; i < inputs.size(); i++) {
                    TensorRef r = inputs.get(i);
                    if (r.layer().equals(masking.name()) && readsMask(l, i, original)) {
                        inputs.set(i, new TensorRef(raw, r.node(), r.tensor()));
                        changed = true;
                    }
                }
                calls.add(new LayerCall(inputs, c.kwargs()));
            }
            layers.add(changed ? l.withCalls(calls) : l);
        }
        return model.withLayers(layers, model.inputs(), model.outputs());
    }
}
