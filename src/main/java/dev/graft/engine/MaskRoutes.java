package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasGruImport;
import dev.graft.engine.keras.KerasStepKeepImport;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands a Keras mask to the layers that read it where they cannot find it themselves ({@link MaskFlow#routedSource}):
 * <ul>
 *   <li>an LSTM, GRU or SimpleRNN reading the mask through other layers ({@code Masking → Dense → GRU}) reads its sequence with
 *       the mask appended as a last feature, by a {@value KerasStepKeepImport#KERAS_CLASS} vertex
 *       {@code <layer>__graft_mask} that reads the sequence and the masking layer's output; the layer is configured with
 *       {@value KerasGruImport#KEEP_FEATURE_KEY} (a SimpleRNN becomes graft's own, an LSTM graft's vertex);</li>
 *   <li>a GlobalAveragePooling1D becomes a {@value KerasStepKeepImport#KERAS_CLASS_AVERAGE} vertex reading the sequence and
 *       the masking layer's output: the mean over the unmasked steps, as Keras.</li>
 * </ul>
 * Weights and names of the model's layers stay as they are (training writes back through them).
 */
final class MaskRoutes {
    private MaskRoutes() {
    }

    /**
     * @param model    the model as the engine will get it
     * @param original the flat model before the engine's rewrites (where Keras's masks are traced)
     */
    static ModelGraph apply(ModelGraph model, ModelGraph original, int kerasMajor) {
        List<Layer> layers = new ArrayList<>();
        boolean any = false;
        for (Layer l : model.layers()) {
            Layer source = original.hasLayer(l.name()) ? MaskFlow.routedSource(original.layer(l.name()), original) : null;
            if (source == null || l.calls().size() != 1) {
                layers.add(l);
                continue;
            }
            any = true;
            TensorRef sequence = l.calls().get(0).inputs().get(0);
            double maskValue = MaskFlow.maskValue(source);
            if ("GlobalAveragePooling1D".equals(l.className())) {
                layers.add(vertex(l.name(), KerasStepKeepImport.KERAS_CLASS_AVERAGE, maskValue, sequence, source.name()));
                continue;
            }
            String keepName = l.name() + "__graft_mask";
            layers.add(vertex(keepName, KerasStepKeepImport.KERAS_CLASS, maskValue, sequence, source.name()));
            Layer consumer = "SimpleRNN".equals(l.className()) ? SimpleRnnForEngine.forEngine(l, kerasMajor, true, null) : l;
            ObjectNode c = consumer.config().deepCopy();
            c.put(KerasGruImport.KEEP_FEATURE_KEY, true);
            c.remove("graft_mask_value");
            LayerCall call = new LayerCall(List.of(TensorRef.of(keepName)), consumer.calls().get(0).kwargs());
            layers.add(new Layer(consumer.name(), consumer.className(), c, List.of(call), consumer.weights(), null,
                    consumer.declaredOutputShapes()));
        }
        return any ? model.withLayers(layers, model.inputs(), model.outputs()) : model;
    }

    private static Layer vertex(String name, String cls, double maskValue, TensorRef sequence, String source) {
        ObjectNode c = Json.object();
        c.put("name", name);
        c.put(KerasStepKeepImport.MASK_VALUE_KEY, maskValue);
        LayerCall call = new LayerCall(List.of(sequence, TensorRef.of(source)), Json.object());
        return new Layer(name, cls, c, List.of(call), List.of(), null);
    }
}
