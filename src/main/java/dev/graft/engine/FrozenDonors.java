package dev.graft.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A built hybrid with its frozen donors' vertices frozen as a zip records it ({@link Freezing}):
 * the first donor as a feature extractor (nothing before it needs its error), a later donor with
 * backpropagation (the bridge before it must still learn). The network is rebuilt with the same
 * vertices, wiring and parameters, bit for bit; only the frozen vertices' wrappers change.
 */
final class FrozenDonors {
    private FrozenDonors() {
    }

    /**
     * @param frozen vertex name to true for a feature extractor (first donor), false for one that passes the error on
     */
    static EngineModel apply(EngineModel model, Map<String, Boolean> frozen) {
        ComputationGraph source = model.graph();
        ComputationGraphConfiguration conf = source.getConfiguration();
        if (frozen.keySet().stream().noneMatch(conf.getVertices()::containsKey)) return model;
        GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .dataType(conf.getDataType())
                .graphBuilder()
                .validateOutputLayerConfig(false);
        graph.addInputs(conf.getNetworkInputs().toArray(new String[0]));
        for (int idx : source.topologicalSortOrder()) {
            String name = source.getVertices()[idx].getVertexName();
            if (conf.getNetworkInputs().contains(name)) continue;
            GraphVertex original = conf.getVertices().get(name);
            GraphVertex vertex = original.clone();
            // DL4J M2.1's MergeVertex.clone() drops the merge axis the configuration holds.
            if (original instanceof MergeVertex m && vertex instanceof MergeVertex copy) copy.setMergeAxis(m.getMergeAxis());
            Boolean first = frozen.get(name);
            // a layer with several outputs keeps its weights in a packed vertex, named after it
            for (String suffix : KerasWriteback.PACKED_SUFFIXES) {
                if (first == null && name.endsWith(suffix)) first = frozen.get(name.substring(0, name.length() - suffix.length()));
            }
            if (first != null) vertex = first ? Freezing.asFeatureExtractor(vertex) : Freezing.withBackprop(vertex);
            List<String> in = conf.getVertexInputs().getOrDefault(name, List.of());
            graph.addVertex(name, vertex, in.toArray(new String[0]));
        }
        graph.setOutputs(conf.getNetworkOutputs().toArray(new String[0]));
        ComputationGraph rebuilt;
        try {
            rebuilt = new ComputationGraph(BatchNormOutputs.apply(graph.build()));
            rebuilt.init();
        } catch (RuntimeException e) {
            throw new EngineException("the engine cannot freeze the hybrid's donors: " + KerasEngine.firstLine(e.getMessage()), e);
        }
        for (var v : source.getVertices()) {
            Map<String, INDArray> from = v.paramTable(false);
            if (from == null || from.isEmpty()) continue;
            Map<String, INDArray> to = rebuilt.getVertex(v.getVertexName()).paramTable(false);
            for (Map.Entry<String, INDArray> p : from.entrySet()) {
                INDArray target = to.get(p.getKey());
                if (target == null || !Arrays.equals(target.shape(), p.getValue().shape())) {
                    throw new IllegalStateException("vertex '" + v.getVertexName() + "' parameter " + p.getKey() + " does not match its frozen copy");
                }
                target.assign(p.getValue());
            }
        }
        return EngineModel.of(rebuilt, model.inputs(), model.outputs());
    }
}
