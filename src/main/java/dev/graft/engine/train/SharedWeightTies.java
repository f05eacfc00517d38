package dev.graft.engine.train;

import dev.graft.GraftException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps the engine's copies of a shared layer one variable while training. A layer Keras calls more than once has one set
 * of weights; the engine computes each call with a copy of the layer ({@code SharedLayerCalls}). Keras's gradient of the
 * shared weights is the sum of what each call contributes; here, after the engine's backward pass and before its
 * optimizer, every copy's gradient is replaced by the sum of all the copies' gradients. Each copy then takes the same
 * step from the same optimizer state, and the copies stay bit for bit equal: the layer graft writes back is the one Keras
 * would have trained.
 *
 * <p>It runs before anything else that reads the gradients ({@link KerasGradientHooks}' clipping sees each shared variable
 * once per copy, with its summed gradient, as Keras clips the variable).
 */
final class SharedWeightTies extends BaseTrainingListener {
    /** Each group: the engine vertices that hold one shared variable set, the first call's first. */
    private final List<List<String>> groups;

    private SharedWeightTies(List<List<String>> groups) {
        this.groups = groups;
    }

    /**
     * The groups of engine vertices to tie for the trained shared layers: {@code calls} maps each shared layer to the
     * engine's layer of each of its calls ({@code SharedLayerCalls.callNames}); a layer the engine computes with several
     * vertices (a bidirectional layer's halves, a packed state vertex) ties each of them to its copy's. Refused, naming
     * the layer, when a copy does not hold the same parameters.
     */
    static List<List<String>> groups(ComputationGraph graph, Map<String, List<String>> calls, Set<String> trained) {
        List<List<String>> groups = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : calls.entrySet()) {
            String layer = e.getKey();
            if (!trained.contains(layer)) continue;
            for (String vertex : TrainableGraph.engineVertices(graph, Set.of(layer))) {
                GraphVertex first = graph.getVertex(vertex);
                if (first == null || !first.hasLayer() && first.numParams() == 0) continue;
                String suffix = vertex.substring(layer.length());
                List<String> group = new ArrayList<>();
                for (String call : e.getValue()) {
                    String copy = call + suffix;
                    GraphVertex v = graph.getVertex(copy);
                    if (v == null || !sameParameters(first, v)) {
                        throw new GraftException("layer '" + layer + "' is called " + e.getValue().size() + " times (a shared layer), and the engine's"
                                + " copy for call " + (group.size() + 1) + " does not hold the same weights: graft cannot train it; freeze it"
                                + " (train the other layers with --trainable)");
                    }
                    group.add(copy);
                }
                if (first.numParams() > 0) groups.add(group);
            }
        }
        return groups;
    }

    private static boolean sameParameters(GraphVertex a, GraphVertex b) {
        Map<String, INDArray> pa = a.paramTable(false), pb = b.paramTable(false);
        if (!pa.keySet().equals(pb.keySet())) return false;
        for (String k : pa.keySet()) if (!java.util.Arrays.equals(pa.get(k).shape(), pb.get(k).shape())) return false;
        return true;
    }

    /** The listener for the groups present in {@code graph} (the part of the network that trains), or null when there are none. */
    static SharedWeightTies of(ComputationGraph graph, List<List<String>> groups) {
        List<List<String>> present = new ArrayList<>();
        for (List<String> g : groups) if (g.stream().allMatch(v -> graph.getVertex(v) != null)) present.add(g);
        return present.isEmpty() ? null : new SharedWeightTies(present);
    }

    @Override
    public void onGradientCalculation(Model model) {
        ComputationGraph graph = (ComputationGraph) model;
        Map<String, INDArray> gradients = graph.gradient().gradientForVariable();
        for (List<String> group : groups) {
            for (String param : graph.getVertex(group.get(0)).paramTable(false).keySet()) {
                List<INDArray> copies = new ArrayList<>();
                for (String vertex : group) {
                    INDArray g = gradients.get(vertex + "_" + param);
                    if (g == null) throw new IllegalStateException("no gradient for " + vertex + "_" + param);
                    copies.add(g);
                }
                INDArray sum = copies.get(0).dup();
                for (int i = 1; i < copies.size(); i++) sum.addi(copies.get(i));
                for (INDArray g : copies) g.assign(sum);
            }
        }
    }
}
