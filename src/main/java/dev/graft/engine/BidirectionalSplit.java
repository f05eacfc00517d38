package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.claims.LayerClaims;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes a {@code Bidirectional(LSTM)} or {@code Bidirectional(SimpleRNN)} as its two halves and their merge, where
 * DL4J's Bidirectional cannot (and a {@code Bidirectional(ConvLSTM1D/2D)} always, graft's ConvLSTM being its only engine layer): a backward layer configured unlike the forward one ({@code backward_layer} with another
 * activation, ...), and training (DL4J's Bidirectional backward pass fails on Keras's sequences; the merge of the halves
 * keeps its axis in the network copies training makes, {@link MergeAxes}). The layer {@code <name>}
 * becomes {@code <name>__forward} (the wrapped layer), {@code <name>__backward} (the backward layer, reading backwards;
 * returning sequences it hands them back in the input's order, {@value #REVERSE_OUTPUT_KEY}, as Keras's Bidirectional
 * flips them) and {@code <name>} itself, the merge (Concatenate, Add, Multiply or Average); with {@code merge_mode=None}
 * the references to its two outputs read the halves. Each half takes its own weights; training writes them back through
 * {@link KerasWriteback}, which reads the halves' parameters for the layer.
 */
final class BidirectionalSplit {
    /** Set on a backward half returning sequences: its outputs in the input's order (Keras flips them back). */
    static final String REVERSE_OUTPUT_KEY = "graft_reverse_output";
    static final String FORWARD_SUFFIX = "__forward";
    static final String BACKWARD_SUFFIX = "__backward";
    private static final Set<String> SPLIT = Set.of("LSTM", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D");
    /** Wrapped classes DL4J's Bidirectional cannot compute at all: always split. */
    private static final Set<String> ALWAYS_SPLIT = Set.of("ConvLSTM1D", "ConvLSTM2D");
    private static final Map<String, String> MERGES = Map.of("concat", "Concatenate", "sum", "Add", "mul", "Multiply", "ave", "Average");

    private BidirectionalSplit() {
    }

    /** Whether the engine computes this layer as its halves. */
    static boolean applies(Layer layer, boolean training) {
        if (!"Bidirectional".equals(layer.className()) || layer.calls().size() != 1 || layer.calls().get(0).inputs().size() != 1) return false;
        JsonNode c = layer.config();
        if (!SPLIT.contains(c.path("layer").path("class_name").asText())) return false;
        if (c.path("layer").path("config").path("return_state").asBoolean(false)) return false;
        JsonNode merge = c.path("merge_mode");
        if (!merge.isNull() && !merge.isMissingNode() && !MERGES.containsKey(merge.asText())) return false;
        // graft's ConvLSTM is the only engine layer for it; its images and volumes merge along their last axis, as Keras's concat
        if (ALWAYS_SPLIT.contains(c.path("layer").path("class_name").asText())) return true;
        boolean differs = LayerClaims.backwardDiffers(c);
        return training || differs;
    }

    static ModelGraph apply(ModelGraph flat, boolean training) {
        Map<String, Layer> split = new HashMap<>();
        for (Layer l : flat.layers()) if (applies(l, training)) split.put(l.name(), l);
        if (split.isEmpty()) return flat;
        Map<TensorRef, TensorRef> redirect = new HashMap<>();
        List<Layer> layers = new ArrayList<>();
        for (Layer l : flat.layers()) {
            Layer b = split.get(l.name());
            if (b == null) {
                layers.add(l);
                continue;
            }
            JsonNode c = b.config();
            String cls = c.path("layer").path("class_name").asText();
            ObjectNode forward = c.path("layer").path("config").deepCopy();
            ObjectNode backward = JsonValuesCopy.backward(c);
            boolean sequences = forward.path("return_sequences").asBoolean(false);
            if (sequences) backward.put(REVERSE_OUTPUT_KEY, true);
            String fName = b.name() + FORWARD_SUFFIX;
            String bName = b.name() + BACKWARD_SUFFIX;
            forward.put("name", fName);
            backward.put("name", bName);
            List<Weight> fw = new ArrayList<>();
            List<Weight> bw = new ArrayList<>();
            String backwardName = c.path("backward_layer").path("config").path("name").asText("");
            for (Weight w : b.weights()) {
                boolean back = isBackward(w.name(), backwardName);
                (back ? bw : fw).add(w.withName((back ? bName : fName) + "/" + w.role() + ":0"));
            }
            List<LayerCall> calls = List.of(new LayerCall(b.calls().get(0).inputs(), Json.object()));
            layers.add(new Layer(fName, cls, forward, calls, fw, null));
            layers.add(new Layer(bName, cls, backward, calls, bw, null));
            JsonNode merge = c.path("merge_mode");
            if (merge.isNull() || merge.isMissingNode()) {
                redirect.put(new TensorRef(b.name(), 0, 0), TensorRef.of(fName));
                redirect.put(new TensorRef(b.name(), 0, 1), TensorRef.of(bName));
                continue;
            }
            ObjectNode m = Json.object();
            m.put("name", b.name());
            if ("concat".equals(merge.asText())) m.put("axis", -1);
            layers.add(new Layer(b.name(), MERGES.get(merge.asText()), m,
                    List.of(new LayerCall(List.of(TensorRef.of(fName), TensorRef.of(bName)), Json.object())), List.of(), null));
        }
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) {
            if (redirect.isEmpty() || l.calls().isEmpty()) {
                out.add(l);
                continue;
            }
            List<LayerCall> calls = new ArrayList<>();
            for (LayerCall call : l.calls()) calls.add(new LayerCall(redirected(call.inputs(), redirect), call.kwargs()));
            out.add(l.withCalls(calls));
        }
        return flat.withLayers(out, flat.inputs(), redirected(flat.outputs(), redirect));
    }

    private static List<TensorRef> redirected(List<TensorRef> refs, Map<TensorRef, TensorRef> redirect) {
        List<TensorRef> out = new ArrayList<>();
        for (TensorRef r : refs) out.add(redirect.getOrDefault(r, r));
        return out;
    }

    /**
     * Which half a weight belongs to, from its path ({@code bidirectional/backward_lstm/lstm_cell/kernel}); a backward layer
     * the user made keeps its own name there ({@code bidirectional/lstm_1/lstm_cell/kernel}).
     */
    private static boolean isBackward(String weightName, String backwardName) {
        for (String segment : weightName.split("/")) {
            if (segment.startsWith("backward") || !backwardName.isEmpty() && segment.equals(backwardName)) return true;
            if (segment.startsWith("forward")) return false;
        }
        throw new EngineException("Bidirectional weight '" + weightName + "' names no forward or backward half; graft cannot place it");
    }

    /** The backward half's config: the file's backward_layer, else the forward layer mirrored (Keras 2 files write none). */
    private static final class JsonValuesCopy {
        static ObjectNode backward(JsonNode bidirectional) {
            JsonNode given = bidirectional.path("backward_layer").path("config");
            if (given.isObject()) return given.deepCopy();
            ObjectNode mirrored = bidirectional.path("layer").path("config").deepCopy();
            mirrored.put("go_backwards", !mirrored.path("go_backwards").asBoolean(false));
            return mirrored;
        }
    }
}
