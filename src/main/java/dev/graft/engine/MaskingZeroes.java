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
 *
 * <p>Likewise a {@code mask_zero} Embedding: Keras returns row 0's stored vector at index 0, but DL4J's import zeroes that
 * row (its mask readers find index 0's steps by those zeros, and graft's write-back keeps the stored row). When index 0's
 * values reach something other than a mask applier (a model output, Flatten, a Dense per step feeding one), the layers
 * that read its values read a {@value KerasStepKeepImport#KERAS_CLASS_ROW_ZERO} vertex {@code <name>__graft_row_zero} instead,
 * which puts the stored row back where the output is all zeros: exact when no other row is all zeros (else refused), and
 * for inference only (training would move row 0, which DL4J's zeroing cannot follow: refused).
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
    static ModelGraph apply(ModelGraph model, ModelGraph original, boolean training) {
        ModelGraph out = model;
        for (Layer l : model.layers()) {
            if ("Masking".equals(l.className()) && l.config().path("mask_value").asDouble(0.0) != 0.0 && valuesRead(out, original, l.name())) {
                out = split(out, original, l);
            }
            if ("Embedding".equals(l.className()) && l.config().path("mask_zero").asBoolean(false) && original.hasLayer(l.name())
                    && rowZeroShows(original, l.name(), 0)) {
                out = restoreRowZero(out, original, l, training);
            }
        }
        return out;
    }

    private static ModelGraph restoreRowZero(ModelGraph model, ModelGraph original, Layer embedding, boolean training) {
        String why = training ? "is trained while a layer reads its values (Keras trains row 0 through them; graft's engine keeps it zero to find the mask)"
                : null;
        float[] w = embedding.weights().isEmpty() ? null : embedding.weights().get(0).read().toFloatArray();
        long[] shape = embedding.weights().isEmpty() ? null : embedding.weights().get(0).shape();
        if (why == null && (w == null || shape.length != 2)) why = "has no [vocabulary, dimension] embeddings to read row 0 from";
        int dim = why == null ? Math.toIntExact(shape[1]) : 0;
        for (int r = 1; why == null && r < shape[0]; r++) {
            boolean zeros = true;
            for (int j = 0; j < dim && zeros; j++) zeros = w[r * dim + j] == 0f;
            if (zeros) why = "has an all-zero row " + r + " besides row 0, which graft's engine cannot tell from the masked index 0";
        }
        if (why != null) {
            throw new EngineException("layer '" + embedding.name() + "' (Embedding) with mask_zero " + why + "; graft cannot compute this model");
        }
        String restored = embedding.name() + "__graft_row_zero";
        ObjectNode z = Json.object();
        z.put("name", restored);
        z.put(KerasStepKeepImport.MASK_VALUE_KEY, 0.0);
        com.fasterxml.jackson.databind.node.ArrayNode row = z.putArray(KerasStepKeepImport.ROW_KEY);
        for (int j = 0; j < dim; j++) row.add((double) w[j]);
        LayerCall vertexCall = new LayerCall(List.of(TensorRef.of(embedding.name()), TensorRef.of(embedding.name())), Json.object());
        List<Layer> layers = new ArrayList<>();
        for (Layer l : model.layers()) {
            List<LayerCall> calls = new ArrayList<>();
            boolean changed = false;
            for (LayerCall c : l.calls()) {
                List<TensorRef> inputs = new ArrayList<>(c.inputs());
                for (int i = 0; i < inputs.size(); i++) {
                    TensorRef r = inputs.get(i);
                    if (r.layer().equals(embedding.name()) && !readsMask(l, i, original)) {
                        inputs.set(i, new TensorRef(restored, r.node(), r.tensor()));
                        changed = true;
                    }
                }
                calls.add(new LayerCall(inputs, c.kwargs()));
            }
            layers.add(changed ? l.withCalls(calls) : l);
            if (l == embedding) layers.add(new Layer(restored, KerasStepKeepImport.KERAS_CLASS_ROW_ZERO, z, List.of(vertexCall), List.of(), null));
        }
        List<TensorRef> outputs = new ArrayList<>();
        for (TensorRef o : model.outputs()) outputs.add(o.layer().equals(embedding.name()) ? new TensorRef(restored, o.node(), o.tensor()) : o);
        return model.withLayers(layers, model.inputs(), outputs);
    }

    /** Layers that compute each step from that step alone and hand the mask on: masked steps stay masked after them. */
    private static final Set<String> STEPWISE = Set.of("Dense", "Activation", "Dropout", "SpatialDropout1D", "GaussianNoise",
            "GaussianDropout", "AlphaDropout", "BatchNormalization", "TimeDistributed", "LeakyReLU", "ReLU", "ELU", "PReLU",
            "Softmax", "ThresholdedReLU");
    /** Layers the engine applies a mask to (MaskFlow refuses the cases it does not): masked steps' values do not reach their output. */
    private static final Set<String> APPLIERS = Set.of("LSTM", "GRU", "SimpleRNN", "Bidirectional", "GlobalAveragePooling1D");

    /**
     * Whether the values of a mask_zero Embedding at index 0's steps reach anything (in the flat model before the
     * rewrites): a model output, or a layer other than a mask applier, reached through step-wise layers only.
     */
    private static boolean rowZeroShows(ModelGraph original, String layer, int depth) {
        if (depth > 200) return true;
        for (TensorRef o : original.outputs()) if (o.layer().equals(layer)) return true;
        for (Layer c : original.layers()) {
            for (LayerCall call : c.calls()) {
                for (TensorRef r : call.inputs()) {
                    if (!r.layer().equals(layer) || APPLIERS.contains(c.className())) continue;
                    if (STEPWISE.contains(c.className()) && call.inputs().size() == 1 && !rowZeroShows(original, c.name(), depth + 1)) continue;
                    return true;
                }
            }
        }
        return false;
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
        if (MASK_VERTICES.contains(l.className())) return true; // its sequence's masked steps are not read either
        // an attention layer's inputs from its first mask source on read masks ({@code AttentionMasks})
        int firstMask = l.config().path(AttentionMasks.FIRST_MASK_INPUT_KEY).asInt(-1);
        if (firstMask >= 0 && i >= firstMask) return true;
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
