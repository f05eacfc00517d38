package dev.graft.engine;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import dev.graft.surgery.Flattener;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Puts the parameters of a network the engine trained back into the Keras model it was built
 * from, in Keras's own layout, so the trained model can be written as a Keras file.
 *
 * <p>The Keras-to-DL4J conversion (transposes, gate reordering, kernel permutes, whatever graft's
 * own layers do) is not re-implemented here: it is observed. The model is built once more on the
 * engine from a <em>probe</em> copy whose weights of the layers to write back hold distinct codes
 * ({@link ProbeCodes}); each engine parameter element then names the Keras element it was copied
 * from. A layer is written back only when that mapping is one-to-one; otherwise it is refused with
 * a message that points to {@code .zip}, which keeps DL4J's parameters as they are.
 */
public final class KerasWriteback {
    private KerasWriteback() {
    }

    /**
     * The original model with the weights of {@code changedLayers} replaced by in-memory arrays
     * holding {@code trained}'s values (same names, shapes and types); every other layer keeps its
     * original {@link Weight} objects.
     *
     * @param original      the model {@code trained} was built from by {@link KerasEngine#buildForTraining}
     * @param trained       that network after training (layers may be wrapped, e.g. frozen)
     * @param changedLayers names of the layers to write back, as the engine names them (the flattened
     *                      model's layer names, which are also the network's vertex names)
     */
    public static ModelGraph apply(ModelGraph original, ComputationGraph trained, Set<String> changedLayers) {
        return apply(original, trained, changedLayers, new ProbeCodes(ProbeCodes.FLOAT32_EXACT));
    }

    static ModelGraph apply(ModelGraph original, ComputationGraph trained, Set<String> changedLayers, ProbeCodes codes) {
        ModelGraph flat = Flattener.flatten(original);
        for (String name : changedLayers) {
            if (!flat.hasLayer(name)) throw new EngineException("cannot write back trained layer '" + name + "': the model has no such layer");
        }
        Map<String, LayerMapping.Builder> builders = new LinkedHashMap<>();
        for (Layer layer : flat.layers()) {
            if (changedLayers.contains(layer.name()) && !layer.weights().isEmpty() && !constantsOnly(layer, trained)) {
                builders.put(layer.name(), new LayerMapping.Builder(layer, codes));
            }
        }
        if (builders.isEmpty()) return original;

        int rounds = builders.values().stream().mapToInt(LayerMapping.Builder::rounds).max().orElse(1);
        for (int round = 0; round < rounds; round++) {
            Map<String, LayerMapping.Builder> probed = new LinkedHashMap<>();
            for (Map.Entry<String, LayerMapping.Builder> e : builders.entrySet()) {
                if (e.getValue().rounds() > round) probed.put(e.getKey(), e.getValue());
            }
            ComputationGraph probe = KerasEngine.buildForTraining(probeModel(flat, probed.keySet(), codes, round));
            try {
                for (Map.Entry<String, LayerMapping.Builder> e : probed.entrySet()) {
                    e.getValue().addRound(round, paramsOf(probe, e.getKey()));
                }
            } finally {
                probe.close();
            }
        }

        Map<Weight, Weight> replacements = new IdentityHashMap<>();
        for (Map.Entry<String, LayerMapping.Builder> e : builders.entrySet()) {
            Layer layer = flat.layer(e.getKey());
            List<Weight> trainedWeights = e.getValue().finish().toKeras(paramsOf(trained, e.getKey()));
            for (int i = 0; i < trainedWeights.size(); i++) replacements.put(layer.weights().get(i), trainedWeights.get(i));
        }
        return replaceWeights(original, replacements);
    }

    /**
     * Whether the layer's weights are all non-trainable and the engine holds no parameter for them (Normalization's
     * statistics, constants of graft's activation): training cannot have changed them, so the file keeps them as they are.
     */
    private static boolean constantsOnly(Layer layer, ComputationGraph trained) {
        if (layer.weights().stream().anyMatch(Weight::trainable)) return false;
        Map<String, INDArray> params = paramsOf(trained, layer.name());
        return params == null || params.isEmpty();
    }

    /** The flat model with the given layers' weights replaced by the codes of one probe round. */
    private static ModelGraph probeModel(ModelGraph flat, Set<String> probed, ProbeCodes codes, int round) {
        List<Layer> layers = new ArrayList<>();
        for (Layer layer : flat.layers()) {
            if (!probed.contains(layer.name())) {
                layers.add(layer);
                continue;
            }
            long[] offsets = LayerMapping.offsets(layer);
            List<Weight> coded = new ArrayList<>();
            for (int j = 0; j < layer.weights().size(); j++) {
                Weight w = layer.weights().get(j);
                long start = offsets[j];
                long[] shape = w.shape();
                coded.add(new Weight(w.name(), shape, DType.FLOAT32, w.trainable(), () -> {
                    float[] v = new float[Math.toIntExact(HostArray.size(shape))];
                    for (int i = 0; i < v.length; i++) v[i] = codes.code(start + i, round);
                    return HostArray.ofFloats(shape, v);
                }));
            }
            layers.add(layer.withWeights(coded));
        }
        return flat.withLayers(layers, flat.inputs(), flat.outputs());
    }

    /** Suffixes of the vertices that hold the weights of a Keras layer with several outputs ({@link LstmStateRewrite}, {@link AttentionScoresRewrite}). */
    public static final java.util.List<String> PACKED_SUFFIXES = java.util.List.of(LstmStateRewrite.PACKED_SUFFIX, AttentionScoresRewrite.PACKED_SUFFIX);

    /** A vertex's parameters by DL4J name, looking through wrappers (frozen layers, last-time-step); null when it has none. */
    static Map<String, INDArray> paramsOf(ComputationGraph graph, String vertexName) {
        Map<String, INDArray> own = vertexParams(graph, vertexName);
        // An LSTM that returns its state, or an attention layer its scores, keeps its weights in its packed vertex; its name is the output part's.
        for (String suffix : PACKED_SUFFIXES) {
            if ((own == null || own.isEmpty()) && graph.getVertex(vertexName + suffix) != null) return vertexParams(graph, vertexName + suffix);
        }
        // A Bidirectional the engine computes as its halves (BidirectionalSplit): both halves' parameters, by half.
        if ((own == null || own.isEmpty()) && graph.getVertex(vertexName + BidirectionalSplit.FORWARD_SUFFIX) != null) {
            Map<String, INDArray> halves = new LinkedHashMap<>();
            for (String half : new String[] {BidirectionalSplit.FORWARD_SUFFIX, BidirectionalSplit.BACKWARD_SUFFIX}) {
                Map<String, INDArray> p = paramsOf(graph, vertexName + half);
                if (p != null) p.forEach((k, v) -> halves.put(half.substring(2) + "_" + k, v));
            }
            return halves;
        }
        return own;
    }

    private static Map<String, INDArray> vertexParams(ComputationGraph graph, String vertexName) {
        GraphVertex vertex = graph.getVertex(vertexName);
        // graft's own multi-input layers (MultiHeadAttention) are vertices that hold parameters (frozen ones delegate).
        if (vertex != null && !vertex.hasLayer() && vertex.numParams() > 0) return vertex.paramTable(false);
        if (vertex == null || !vertex.hasLayer()) return null;
        org.deeplearning4j.nn.api.Layer layer = vertex.getLayer();
        while (layer instanceof BaseWrapperLayer w) layer = w.getUnderlying();
        return layer.paramTable();
    }

    /** The model with each weight in {@code replacements} swapped, nested models included; untouched layers stay the same objects. */
    private static ModelGraph replaceWeights(ModelGraph model, Map<Weight, Weight> replacements) {
        List<Layer> layers = new ArrayList<>();
        boolean changed = false;
        for (Layer layer : model.layers()) {
            Layer out = layer;
            if (layer.nested() != null) {
                ModelGraph inner = replaceWeights(layer.nested(), replacements);
                if (inner != layer.nested()) {
                    out = new Layer(layer.name(), layer.className(), layer.config(), layer.calls(), List.of(), inner,
                            layer.declaredOutputShapes());
                }
            } else if (layer.weights().stream().anyMatch(replacements::containsKey)) {
                out = layer.withWeights(layer.weights().stream().map(w -> replacements.getOrDefault(w, w)).toList());
            }
            changed |= out != layer;
            layers.add(out);
        }
        return changed ? model.withLayers(layers, model.inputs(), model.outputs()) : model;
    }
}
