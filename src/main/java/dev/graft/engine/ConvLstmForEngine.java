package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasConvLstmImport;
import dev.graft.engine.keras.KerasConvLstmPartImport;
import dev.graft.engine.layers.StepRangeVertex;
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
 * Hands Keras's {@code ConvLSTM1D} and {@code ConvLSTM2D} to graft's own layer ({@link KerasConvLstmImport}), with the
 * {@code hard_sigmoid} of the Keras that wrote the file. A layer returning its state ({@code return_state=True}) has three
 * outputs and a DL4J layer one: when only the output and h of a layer returning its last step are used, h is that output
 * (references to it read the output); otherwise the layer becomes {@code <name>__lstm}, which packs output, h and c along
 * its step axis, and a {@link StepRangeVertex} part for each output something uses ({@code <name>} for the output, so the
 * name stays what users know, {@code <name>__h}, {@code <name>__c}).
 */
final class ConvLstmForEngine {
    private static final Map<String, String> ENGINE_CLASS = Map.of(
            "ConvLSTM1D", KerasConvLstmImport.CONV_LSTM_1D, "ConvLSTM2D", KerasConvLstmImport.CONV_LSTM_2D);
    private static final String[] PART_NAMES = {"output", "h", "c"};

    private ConvLstmForEngine() {
    }

    static ModelGraph apply(ModelGraph flat, int kerasMajor) {
        if (flat.layers().stream().noneMatch(l -> ENGINE_CLASS.containsKey(l.className()))) return flat;
        Set<TensorRef> used = new HashSet<>(flat.outputs());
        for (Layer l : flat.layers()) for (LayerCall c : l.calls()) used.addAll(c.inputs());
        Set<String> taken = new HashSet<>();
        for (Layer l : flat.layers()) taken.add(l.name());
        Map<TensorRef, TensorRef> redirect = new HashMap<>();
        Map<String, List<Layer>> replacement = new HashMap<>();
        GraphShapes shapes = null;
        for (Layer layer : flat.layers()) {
            String engineClass = ENGINE_CLASS.get(layer.className());
            if (engineClass == null) continue;
            String name = layer.name();
            ObjectNode c = layer.config().deepCopy();
            if (!c.has("graft_hard_sigmoid")) c.put("graft_hard_sigmoid", kerasMajor >= 3 ? "keras3" : "keras2");
            boolean sequences = c.path("return_sequences").asBoolean(false);
            boolean hUsed = used.stream().anyMatch(r -> r.layer().equals(name) && r.tensor() == 1);
            boolean cUsed = used.stream().anyMatch(r -> r.layer().equals(name) && r.tensor() == 2);
            boolean pack = c.path("return_state").asBoolean(false) && (cUsed || hUsed && sequences);
            if (c.path("return_state").asBoolean(false) && !pack) {
                // Returning its last step, the layer's h is that step.
                for (TensorRef r : used) if (r.layer().equals(name) && r.tensor() == 1) redirect.put(r, new TensorRef(name, r.node(), 0));
            }
            c.put("return_state", false);
            if (!pack) {
                replacement.put(name, List.of(new Layer(name, engineClass, c, layer.calls(), layer.weights(), null, layer.declaredOutputShapes())));
                continue;
            }
            if (sequences) {
                if (shapes == null) shapes = GraphShapes.infer(flat);
                String why = whyNot(layer, flat, shapes);
                if (why != null) throw new EngineException("layer '" + name + "' (" + layer.className() + ") " + why);
            }
            if (layer.calls().size() > 1) {
                throw new EngineException("layer '" + name + "' is a " + layer.className() + " called " + layer.calls().size()
                        + " times whose states are used; graft computes such a layer only when called once");
            }
            String packed = taken.contains(name + LstmStateRewrite.PACKED_SUFFIX) ? null : name + LstmStateRewrite.PACKED_SUFFIX;
            if (packed == null) throw new EngineException("layer '" + name + "': the model already has a layer named '" + name + LstmStateRewrite.PACKED_SUFFIX + "'");
            taken.add(packed);
            c.put("name", packed);
            c.put(KerasConvLstmImport.PACK_STATE_KEY, true);
            List<Layer> pieces = new ArrayList<>();
            pieces.add(new Layer(packed, engineClass, c, layer.calls(), layer.weights(), null));
            for (int k = 0; k < 3; k++) {
                TensorRef ref = new TensorRef(name, 0, k);
                if (!used.contains(ref)) continue;
                String partName = k == 0 ? name : unique(name + "__" + PART_NAMES[k], taken);
                StepRangeVertex.Part part = k == 2 ? StepRangeVertex.Part.C : k == 0 && sequences ? StepRangeVertex.Part.SEQUENCE : StepRangeVertex.Part.H;
                pieces.add(part(partName, part, c, packed));
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
     * Why graft cannot compute this ConvLSTM (inspect asks it too): its sequence and a state used together over an open
     * number of steps, which the packed output (the steps, then h and c) cannot be split at; null otherwise.
     */
    static String whyNot(Layer layer, ModelGraph model, GraphShapes shapes) {
        JsonNode c = layer.config();
        if (!ENGINE_CLASS.containsKey(layer.className()) || !c.path("return_state").asBoolean(false) || !c.path("return_sequences").asBoolean(false)
                || layer.calls().isEmpty() || layer.calls().get(0).inputs().isEmpty()) {
            return null;
        }
        boolean statesUsed = model.outputs().stream().anyMatch(r -> r.layer().equals(layer.name()) && r.tensor() > 0);
        for (Layer l : model.layers()) {
            for (LayerCall call : l.calls()) statesUsed |= call.inputs().stream().anyMatch(r -> r.layer().equals(layer.name()) && r.tensor() > 0);
        }
        Shape in = shapes.shape(layer.calls().get(0).inputs().get(0));
        if (!statesUsed || in == null || in.rank() < 2 || in.dim(1) != null) return null;
        return "returns its sequence and its states over an open number of steps; graft computes them together for a fixed number of steps only";
    }

    private static Layer part(String name, StepRangeVertex.Part part, ObjectNode layerConfig, String packed) {
        ObjectNode c = layerConfig.objectNode();
        c.put("name", name);
        c.put("trainable", true);
        c.put(KerasConvLstmPartImport.PART_KEY, part.name());
        LayerCall call = new LayerCall(List.of(TensorRef.of(packed)), layerConfig.objectNode());
        return new Layer(name, KerasConvLstmPartImport.KERAS_CLASS, c, List.of(call), List.of(), null);
    }

    private static String unique(String base, Set<String> taken) {
        String name = base;
        for (int i = 1; taken.contains(name); i++) name = base + "_" + i;
        taken.add(name);
        return name;
    }

    private static Layer redirected(Layer l, Map<TensorRef, TensorRef> redirect) {
        if (redirect.isEmpty() || l.calls().isEmpty()) return l;
        List<LayerCall> calls = new ArrayList<>();
        for (LayerCall c : l.calls()) calls.add(new LayerCall(redirect(c.inputs(), redirect), c.kwargs()));
        return l.withCalls(calls);
    }

    private static List<TensorRef> redirect(List<TensorRef> refs, Map<TensorRef, TensorRef> redirect) {
        List<TensorRef> out = new ArrayList<>();
        for (TensorRef r : refs) out.add(redirect.getOrDefault(r, r));
        return out;
    }
}
