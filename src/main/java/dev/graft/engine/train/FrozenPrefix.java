package dev.graft.engine.train;

import dev.graft.data.RowSelection;
import dev.graft.engine.Layout;
import dev.graft.engine.Tensors;
import dev.graft.model.HostArray;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The frozen layers before anything that learns (a hybrid's first donor, typically) compute the
 * same thing in every epoch: frozen layers always run in inference mode (a layer adding noise in training is not part of
 * it: see {@link TrainingNoise#noisyVertices}). Their output is computed
 * once, and training runs on the rest of the network only. The result is the same numbers, for
 * less work per epoch.
 */
final class FrozenPrefix {
    private static final int ROWS = 1024;

    private final ComputationGraph full;
    private final ComputationGraph rest;
    private final String frontier;

    private FrozenPrefix(ComputationGraph full, ComputationGraph rest, String frontier) {
        this.full = full;
        this.rest = rest;
        this.frontier = frontier;
    }

    /**
     * The split of a prepared network at the one vertex where the frozen prefix ends, or null
     * when there is nothing worth splitting off (the first layer learns, or the prefix ends in
     * several places).
     */
    static FrozenPrefix of(ComputationGraph graph, Set<String> trainable) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1) return null;
        Set<String> learning = TrainableGraph.downstreamOf(trainable, conf);
        learning.addAll(trainable);
        // a layer adding noise in training (Dropout) draws it per batch: the prefix stops before it
        Set<String> noisy = TrainingNoise.noisyVertices(conf);
        learning.addAll(noisy);
        learning.addAll(TrainableGraph.downstreamOf(noisy, conf));
        Set<String> frontiers = new HashSet<>();
        for (String v : learning) {
            for (String in : conf.getVertexInputs().getOrDefault(v, List.of())) if (!learning.contains(in)) frontiers.add(in);
        }
        if (frontiers.size() != 1) return null;
        String frontier = frontiers.iterator().next();
        if (conf.getNetworkInputs().contains(frontier)) return null;
        // DL4J's activation layer computes in place outside training: reading the frontier after it ran would
        // read its output (a Normalization right after the input would be applied twice).
        for (String v : learning) {
            if (conf.getVertexInputs().getOrDefault(v, List.of()).contains(frontier) && isActivationLayer(conf.getVertices().get(v))) return null;
        }
        // The steps of a TimeDistributed as rows are not the network's rows: the prefix's output could not be computed per row.
        if (conf.getVertices().get(frontier) instanceof org.deeplearning4j.nn.conf.graph.PreprocessorVertex pv
                && pv.getPreProcessor() instanceof dev.graft.engine.layers.StepsBatchPreprocessor sb
                && sb.getMode() == dev.graft.engine.layers.StepsBatchPreprocessor.Mode.INTO_BATCH) {
            return null;
        }

        ComputationGraphConfiguration restConf = dev.graft.engine.MergeAxes.cloned(conf);
        restConf.getVertices().keySet().retainAll(learning);
        restConf.getVertexInputs().keySet().retainAll(learning);
        restConf.setNetworkInputs(new ArrayList<>(List.of(frontier)));
        restConf.setTopologicalOrder(null);
        restConf.setTopologicalOrderStr(null);
        ComputationGraph rest = new AllParametersGraph(restConf);
        long count = 0;
        for (String v : learning) {
            // vertices, not layers: graft's MultiHeadAttention is a vertex with parameters
            if (graph.getVertex(v) != null) count += graph.getVertex(v).numParams();
        }
        // Initialising from given parameters skips the weight initialisers (the importer leaves some unset).
        rest.init(org.nd4j.linalg.factory.Nd4j.zeros(graph.getConfiguration().getDataType(), 1, Math.max(1, count)), false);
        copyParams(graph, rest, learning);
        return new FrozenPrefix(graph, rest, frontier);
    }

    private static boolean isActivationLayer(GraphVertex v) {
        return v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof ActivationLayer;
    }

    ComputationGraph rest() {
        return rest;
    }

    /** The prefix's output for every row, computed once, as the rest of the network takes it. */
    HostArray features(HostArray x, Layout inputLayout) {
        DataType type = full.getConfiguration().getDataType();
        int rows = Math.toIntExact(x.shape()[0]);
        List<HostArray> parts = new ArrayList<>();
        for (int from = 0; from < rows; from += ROWS) {
            int[] idx = new int[Math.min(rows, from + ROWS) - from];
            for (int i = 0; i < idx.length; i++) idx[i] = from + i;
            INDArray in = inputLayout.fromKeras(Tensors.toNd4j(RowSelection.of(x, idx), type));
            Map<String, INDArray> acts = full.feedForward(new INDArray[] {in}, false, false);
            parts.add(Tensors.fromNd4j(acts.get(frontier)));
        }
        return RowSelection.concat(parts);
    }

    /** Puts what the rest learnt back into the whole network. */
    void copyBack() {
        copyParams(rest, full, new HashSet<>(java.util.Arrays.stream(rest.getVertices()).map(v -> v.getVertexName()).toList()));
    }

    /** Every parameter array of the named vertices (layers and parameterised vertices alike), from one network into the other. */
    static void copyParams(ComputationGraph from, ComputationGraph to, Set<String> names) {
        for (String name : names) {
            org.deeplearning4j.nn.graph.vertex.GraphVertex source = from.getVertex(name);
            org.deeplearning4j.nn.graph.vertex.GraphVertex target = to.getVertex(name);
            if (source == null || target == null || source.numParams() == 0) continue;
            Map<String, org.nd4j.linalg.api.ndarray.INDArray> targetParams = target.paramTable(false);
            for (Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> p : source.paramTable(false).entrySet()) {
                targetParams.get(p.getKey()).assign(p.getValue());
            }
        }
    }
}
