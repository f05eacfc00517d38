package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasAttentionImport;
import dev.graft.engine.keras.KerasAttentionPartImport;
import dev.graft.engine.keras.KerasMultiHeadAttentionImport;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import dev.graft.shape.GraphShapes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An attention layer called with {@code return_attention_scores=True} has two outputs, the attended output (Keras's
 * tensor 0) and the scores after the softmax (tensor 1); the engine's vertices have one. As for an LSTM returning its
 * state ({@link LstmStateRewrite}), when the scores are used the layer's vertex packs both ({@code graft_scores}) and is
 * renamed {@code <name>}{@value #PACKED_SUFFIX}, and a {@value KerasAttentionPartImport#KERAS_CLASS} layer takes each used
 * output apart: {@code <name>} for the output (so the name stays what users know) and {@code <name>__scores} for the
 * scores; references {@code (name, 0, k)} are redirected to them. Unused scores change nothing. Runs on the engine's
 * form of the layers ({@link AttentionForEngine}, {@link MultiHeadAttentionForEngine}).
 */
final class AttentionScoresRewrite {
    /** Suffix of the vertex that holds the weights of an attention layer whose scores are used (its own name goes to the output part). */
    static final String PACKED_SUFFIX = "__attention";
    static final String SCORES_SUFFIX = "__scores";
    private static final Set<String> ENGINE_CLASSES = Set.of(KerasAttentionImport.KERAS_CLASS, KerasMultiHeadAttentionImport.KERAS_CLASS);

    private AttentionScoresRewrite() {
    }

    /**
     * Why graft cannot compute the scores this layer returns, or null (also when it returns none, or none is used): the
     * packed vertex needs every size of the scores, so the number of key steps must be fixed.
     */
    static String whyNot(Layer layer, ModelGraph model, GraphShapes shapes) {
        TensorRef scores = new TensorRef(layer.name(), 0, 1);
        if (!LstmStateRewrite.usedTensors(model).contains(scores)) return null;
        Shape s = shapes.shape(scores);
        Shape out = shapes.shape(TensorRef.of(layer.name()));
        if (s == null || out == null) return null;   // the shape's own problem is reported where it arises
        if (!s.isSampleShapeKnown() || out.lastDim() == null) {
            return "returns its attention scores " + s + " over an open number of steps; graft computes them for fixed query and key steps";
        }
        return null;
    }

    static ModelGraph apply(ModelGraph model, GraphShapes shapes) {
        Set<TensorRef> used = LstmStateRewrite.usedTensors(model);
        Set<String> taken = new HashSet<>();
        for (Layer l : model.layers()) taken.add(l.name());
        Map<TensorRef, TensorRef> redirect = new HashMap<>();
        Map<String, List<Layer>> replacement = new HashMap<>();
        for (Layer layer : model.layers()) {
            String name = layer.name();
            if (!ENGINE_CLASSES.contains(layer.className()) || !used.contains(new TensorRef(name, 0, 1))) continue;
            String why = whyNot(layer, model, shapes);
            Shape scores = shapes.shape(new TensorRef(name, 0, 1));
            Shape output = shapes.shape(TensorRef.of(name));
            if (why == null && (scores == null || output == null)) why = "returns attention scores of a shape graft cannot work out";
            if (why != null) throw new EngineException("layer '" + name + "' " + why + "; graft cannot compute this model");
            ObjectNode c = layer.config().deepCopy();
            String packed = LstmStateRewrite.unique(name + PACKED_SUFFIX, taken);
            c.put("name", packed);
            c.put("graft_scores", true);
            List<Layer> pieces = new ArrayList<>();
            pieces.add(new Layer(packed, layer.className(), c, layer.calls(), layer.weights(), null));
            int heads = scores.rank() == 4 ? Math.toIntExact(scores.dim(1)) : 0;
            for (int k = 0; k < 2; k++) {
                TensorRef ref = new TensorRef(name, 0, k);
                if (!used.contains(ref)) continue;
                String partName = k == 0 ? name : LstmStateRewrite.unique(name + SCORES_SUFFIX, taken);
                pieces.add(part(partName, k == 0 ? "output" : "scores", output.lastDim(), heads, c, packed));
                redirect.put(ref, TensorRef.of(partName));
            }
            replacement.put(name, pieces);
        }
        if (replacement.isEmpty()) return model;
        List<Layer> layers = new ArrayList<>();
        for (Layer l : model.layers()) {
            List<Layer> pieces = replacement.get(l.name());
            for (Layer p : pieces == null ? List.of(l) : pieces) layers.add(LstmStateRewrite.redirected(p, redirect));
        }
        return model.withLayers(layers, model.inputs(), LstmStateRewrite.redirect(model.outputs(), redirect));
    }

    private static Layer part(String name, String part, long outputFeatures, int heads, ObjectNode layerConfig, String packed) {
        ObjectNode c = layerConfig.objectNode();
        c.put("name", name);
        c.put("trainable", true);
        JsonNode dtype = layerConfig.get("dtype");
        if (dtype != null) c.set("dtype", dtype.deepCopy());
        c.put(KerasAttentionPartImport.PART_KEY, part);
        c.put(KerasAttentionPartImport.OUTPUT_FEATURES_KEY, outputFeatures);
        c.put(KerasAttentionPartImport.HEADS_KEY, heads);
        LayerCall call = new LayerCall(List.of(TensorRef.of(packed)), layerConfig.objectNode());
        return new Layer(name, KerasAttentionPartImport.KERAS_CLASS, c, List.of(call), List.of(), null);
    }
}
