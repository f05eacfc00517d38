package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasLstmStateImport;
import dev.graft.engine.keras.KerasLstmStatePartImport;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites the LSTMs DL4J's import cannot compute, those that return their state ({@code return_state=True},
 * with {@code h} or {@code c} used) or start from a given one ({@code initial_state=[h, c]}, which graft's
 * model holds as the call's second and third inputs), and those returning their last step from a masked
 * sequence (which DL4J's import fails on), and those DL4J's layer computes differently ({@link #beyondDl4j}), into
 * single-output pieces DL4J can wire:
 * <ul>
 *   <li>the LSTM itself becomes class {@value KerasLstmStateImport#KERAS_CLASS} (a multi-input graph vertex
 *       with the same weights); with {@code return_state} it is renamed {@code <name>__lstm} and outputs its
 *       three results packed in one array;</li>
 *   <li>for each of its outputs that something uses, a {@value KerasLstmStatePartImport#KERAS_CLASS} layer
 *       unpacks it: {@code <name>} for the output (tensor 0, so the name stays what users know),
 *       {@code <name>__h} and {@code <name>__c} for tensors 1 and 2; references {@code (name, 0, k)} are
 *       redirected to them.</li>
 * </ul>
 * Plain LSTMs are left to DL4J's own layer. The rewritten model is only handed to the engine.
 */
final class LstmStateRewrite {
    private static final String[] PART_NAMES = {"output", "h", "c"};
    /** Suffix of the vertex that holds the weights of an LSTM returning its state (its own name goes to the output part). */
    static final String PACKED_SUFFIX = "__lstm";

    private LstmStateRewrite() {
    }

    static ModelGraph apply(ModelGraph flat) {
        Set<String> stateful = new HashSet<>();
        Set<TensorRef> used = usedTensors(flat);
        for (Layer layer : flat.layers()) {
            if (!"LSTM".equals(layer.className()) || layer.calls().isEmpty()) continue;
            boolean statesUsed = used.stream().anyMatch(r -> r.layer().equals(layer.name()) && r.tensor() > 0);
            boolean initialState = layer.calls().stream().anyMatch(c -> c.inputs().size() > 1);
            // DL4J's import wraps a masked last-step LSTM twice (MaskZeroLayer(LastTimeStep(LSTM))) and then
            // fails on its own wrapper ("LastTimeStep cannot be cast to FeedForwardLayer"): nothing to keep.
            // Masked sequences too: DL4J's LSTM outputs zeros at masked steps, Keras (before zero_output_for_mask) does not.
            boolean maskedLastStep = layer.calls().stream().anyMatch(c -> maskValue(flat, c.inputs().get(0)) != null);
            if (!statesUsed && !initialState && !maskedLastStep && !beyondDl4j(layer, kerasMajor(flat))) continue;
            if (layer.calls().size() > 1) {
                throw new EngineException("layer '" + layer.name() + "' is an LSTM called " + layer.calls().size()
                        + " times that returns or takes a state; graft computes such an LSTM only when called once");
            }
            int inputs = layer.calls().get(0).inputs().size();
            if (inputs != 1 && inputs != 3) {
                throw new EngineException("layer '" + layer.name() + "' is an LSTM called with " + inputs
                        + " inputs; graft computes an LSTM's initial state only as [h, c]");
            }
            stateful.add(layer.name());
        }
        if (stateful.isEmpty()) return flat;

        Set<String> taken = new HashSet<>();
        for (Layer l : flat.layers()) taken.add(l.name());
        Map<TensorRef, TensorRef> redirect = new HashMap<>();
        Map<String, List<Layer>> replacement = new HashMap<>();
        for (String name : stateful) {
            Layer lstm = flat.layer(name);
            boolean returnState = used.stream().anyMatch(r -> r.layer().equals(name) && r.tensor() > 0);
            ObjectNode c = lstm.config().deepCopy();
            LayerCall call = lstm.calls().get(0);
            c.put("return_state", returnState);
            c.put("graft_initial_state", call.inputs().size() == 3);
            Double maskValue = maskValue(flat, call.inputs().get(0));
            if (maskValue != null) c.put("graft_mask_value", maskValue);
            c.put("graft_masked_output", maskedOutput(c, flat.source()));
            if (!c.has("graft_hard_sigmoid")) c.put("graft_hard_sigmoid", kerasMajor(flat) >= 3 ? "keras3" : "keras2");
            List<Layer> pieces = new ArrayList<>();
            if (!returnState) {
                pieces.add(new Layer(name, KerasLstmStateImport.KERAS_CLASS, c, lstm.calls(), lstm.weights(), null));
                replacement.put(name, pieces);
                continue;
            }
            String packed = unique(name + PACKED_SUFFIX, taken);
            c.put("name", packed);
            pieces.add(new Layer(packed, KerasLstmStateImport.KERAS_CLASS, c, lstm.calls(), lstm.weights(), null));
            for (int k = 0; k < 3; k++) {
                TensorRef ref = new TensorRef(name, 0, k);
                if (!used.contains(ref)) continue;
                String partName = k == 0 ? name : unique(name + "__" + PART_NAMES[k], taken);
                pieces.add(part(partName, k, c, packed));
                redirect.put(ref, TensorRef.of(partName));
            }
            replacement.put(name, pieces);
        }

        List<Layer> layers = new ArrayList<>();
        for (Layer l : flat.layers()) {
            List<Layer> pieces = replacement.get(l.name());
            for (Layer p : pieces == null ? List.of(l) : pieces) layers.add(redirected(p, redirect));
        }
        return flat.withLayers(layers, flat.inputs(), redirect(flat.outputs(), redirect));
    }

    /**
     * An LSTM whose arithmetic DL4J's own layer lacks: {@code go_backwards} (DL4J's LSTM reads forward only), Keras 3's
     * {@code hard_sigmoid}, relu6(x+3)/6 (DL4J's is Keras 2's 0.2x+0.5), or a mask handed to it as a feature
     * ({@link MaskRoutes}). graft's vertex computes them.
     */
    static boolean beyondDl4j(Layer lstm, int kerasMajor) {
        JsonNode c = lstm.config();
        if (c.path("go_backwards").asBoolean(false) || c.path(dev.graft.engine.keras.KerasGruImport.KEEP_FEATURE_KEY).asBoolean(false)) return true;
        return kerasMajor >= 3 && ("hard_sigmoid".equals(c.path("activation").asText()) || "hard_sigmoid".equals(c.path("recurrent_activation").asText()));
    }

    /** Every tensor some call or the model's outputs consume. */
    static Set<TensorRef> usedTensors(ModelGraph model) {
        Set<TensorRef> used = new HashSet<>(model.outputs());
        for (Layer l : model.layers()) for (LayerCall c : l.calls()) used.addAll(c.inputs());
        return used;
    }

    private static Layer part(String name, int tensor, ObjectNode lstmConfig, String packed) {
        ObjectNode c = lstmConfig.objectNode();
        c.put("name", name);
        c.put("trainable", true);
        JsonNode dtype = lstmConfig.get("dtype");
        if (dtype != null) c.set("dtype", dtype.deepCopy());
        c.put(KerasLstmStatePartImport.PART_KEY, PART_NAMES[tensor]);
        c.put("return_sequences", lstmConfig.path("return_sequences").asBoolean(false));
        LayerCall call = new LayerCall(List.of(TensorRef.of(packed)), lstmConfig.objectNode());
        return new Layer(name, KerasLstmStatePartImport.KERAS_CLASS, c, List.of(call), List.of(), null);
    }

    static Layer redirected(Layer l, Map<TensorRef, TensorRef> redirect) {
        if (redirect.isEmpty() || l.calls().isEmpty()) return l;
        List<LayerCall> calls = new ArrayList<>();
        for (LayerCall c : l.calls()) calls.add(new LayerCall(redirect(c.inputs(), redirect), c.kwargs()));
        return l.withCalls(calls);
    }

    static List<TensorRef> redirect(List<TensorRef> refs, Map<TensorRef, TensorRef> redirect) {
        List<TensorRef> out = new ArrayList<>();
        for (TensorRef r : refs) out.add(redirect.getOrDefault(r, r));
        return out;
    }

    /**
     * The mask value when the sequence comes straight from a layer that masks it (DL4J's import detects
     * masks the same way, and zeroes a {@code mask_zero} embedding's row 0 so that masked steps read all zeros).
     */
    static Double maskValue(ModelGraph model, TensorRef sequence) {
        Layer from = model.layer(sequence.layer());
        if (from == null) return null;
        if ("Embedding".equals(from.className()) && from.config().path("mask_zero").asBoolean(false)) return 0.0;
        if ("Masking".equals(from.className())) return from.config().path("mask_value").asDouble(0.0);
        return null;
    }

    /**
     * What the LSTM outputs at masked steps: zeros when asked; the carried state in multi-backend Keras up to
     * 2.2 ({@code where(mask, output, states[0])}); else (tf.keras, Keras 3) the previous output.
     */
    private static String maskedOutput(ObjectNode config, SourceInfo source) {
        if (config.path("zero_output_for_mask").asBoolean(false)) return "zero";
        if (source != null && "keras".equals(source.producer()) && source.producerVersion() != null) {
            String v = source.producerVersion();
            if (!v.contains("-tf") && (v.startsWith("1.") || v.startsWith("2.0") || v.startsWith("2.1") || v.startsWith("2.2"))) {
                return "state";
            }
        }
        return "previous";
    }

    private static int kerasMajor(ModelGraph model) {
        return model.source() == null ? 2 : model.source().kerasMajor();
    }

    static String unique(String base, Set<String> taken) {
        String name = base;
        for (int i = 1; taken.contains(name); i++) name = base + "_" + i;
        taken.add(name);
        return name;
    }
}
