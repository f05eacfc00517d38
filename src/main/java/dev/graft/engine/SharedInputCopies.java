package dev.graft.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's activation layer works in place when it computes (not training): it overwrites the array
 * it is handed. When that array is also the network's input (the caller's array), a network output
 * or the input of another layer, the others would see the activated values: a Rescaling or ReLU
 * right after the input, beside a skip connection, gave silently wrong numbers. Such an activation
 * layer gets a copy of its input first: DL4J's stock {@code ScaleVertex} with factor 1 (x * 1 is x,
 * bit for bit), so a network written as .zip still opens in any DL4J.
 */
final class SharedInputCopies {
    static final String SUFFIX = "_input_copy";

    private SharedInputCopies() {
    }

    /**
     * A built network with the copies in place: the network itself when it needs none (nearly every
     * zip), else the same vertices and parameters, bit for bit, rebuilt with the copies. For networks
     * graft did not build itself (a DL4J zip restored as it was saved, whatever wrote it).
     */
    static ComputationGraph applied(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, GraphVertex> before = new HashMap<>(conf.getVertices());
        if (!insert(conf)) return graph;
        ComputationGraph rebuilt;
        try {
            rebuilt = new ComputationGraph(conf);
            rebuilt.init();
        } catch (RuntimeException e) {
            throw new EngineException("the engine cannot add copies before its in-place activation layers: " + KerasEngine.firstLine(e.getMessage()), e);
        }
        for (String name : before.keySet()) {
            Map<String, INDArray> from = graph.getVertex(name).paramTable(false);
            if (from == null || from.isEmpty()) continue;
            Map<String, INDArray> to = rebuilt.getVertex(name).paramTable(false);
            for (Map.Entry<String, INDArray> p : from.entrySet()) {
                INDArray target = to.get(p.getKey());
                if (target == null || !Arrays.equals(target.shape(), p.getValue().shape())) {
                    throw new IllegalStateException("vertex '" + name + "' parameter " + p.getKey() + " does not match its rebuilt copy");
                }
                target.assign(p.getValue());
            }
        }
        return rebuilt;
    }

    /** @return whether a copy was inserted */
    static boolean insert(ComputationGraphConfiguration conf) {
        Map<String, GraphVertex> vertices = conf.getVertices();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Set<String> shared = new HashSet<>(conf.getNetworkInputs());
        shared.addAll(conf.getNetworkOutputs());
        Map<String, Integer> consumers = new HashMap<>();
        for (List<String> in : inputs.values()) for (String s : in) consumers.merge(s, 1, Integer::sum);
        consumers.forEach((source, n) -> {
            if (n > 1) shared.add(source);
        });
        boolean changed = false;
        for (String name : new ArrayList<>(vertices.keySet())) {
            List<String> in = inputs.get(name);
            if (!(vertices.get(name) instanceof LayerVertex lv) || !(lv.getLayerConf().getLayer() instanceof ActivationLayer)
                    || in == null || in.size() != 1 || !shared.contains(in.get(0))) {
                continue;
            }
            String copy = name + SUFFIX;
            while (vertices.containsKey(copy)) copy += "_";
            vertices.put(copy, new ScaleVertex(1.0));
            inputs.put(copy, new ArrayList<>(in));
            inputs.put(name, new ArrayList<>(List.of(copy)));
            changed = true;
        }
        if (changed) {
            // The order DL4J computed when it built the configuration; init computes it anew.
            conf.setTopologicalOrder(null);
            conf.setTopologicalOrderStr(null);
        }
        return changed;
    }
}
