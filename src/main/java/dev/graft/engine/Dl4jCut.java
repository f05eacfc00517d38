package dev.graft.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J network cut to the vertices that compute one of its tensors: the engine half of
 * {@code adapt --until/--drop-last} for a DL4J source (the graph half is
 * {@link dev.graft.surgery.GraphCut}, which chose the vertices). Every kept vertex keeps its own
 * configuration and its parameters bit for bit; the vertex cut at becomes the output, an output
 * layer left in the middle is not one any more, so nothing changes what the kept vertices compute.
 */
public final class Dl4jCut {
    private Dl4jCut() {
    }

    /**
     * @param kept   the vertices to keep (network inputs they read are kept as inputs)
     * @param output the vertex whose activations become the network's output
     * @param frozen kept vertices to freeze (as DL4J's transfer learning freezes a feature extractor)
     */
    public static EngineModel cut(ComputationGraph source, Set<String> kept, String output, Set<String> frozen) {
        ComputationGraphConfiguration conf = source.getConfiguration();
        GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .dataType(conf.getDataType())
                .graphBuilder()
                .validateOutputLayerConfig(false);
        Map<String, GraphVertex> vertices = conf.getVertices();
        List<String> inputs = new ArrayList<>();
        for (String in : conf.getNetworkInputs()) {
            if (kept.contains(in)) inputs.add(in);
        }
        graph.addInputs(inputs.toArray(new String[0]));
        List<String> copied = new ArrayList<>();
        for (int idx : source.topologicalSortOrder()) {
            String name = source.getVertices()[idx].getVertexName();
            if (!kept.contains(name) || conf.getNetworkInputs().contains(name)) continue;
            GraphVertex vertex = vertices.get(name).clone();
            // DL4J M2.1's MergeVertex.clone() drops the merge axis the saved configuration holds
            // (a sequence would then be joined along time instead of features).
            if (vertices.get(name) instanceof MergeVertex m && vertex instanceof MergeVertex copy) copy.setMergeAxis(m.getMergeAxis());
            if (!name.equals(output)) vertex = HiddenOutputLayers.asHidden(vertex, "the source");
            if (frozen.contains(name)) vertex = Freezing.asFeatureExtractor(vertex);
            List<String> in = conf.getVertexInputs().getOrDefault(name, List.of());
            for (String i : in) {
                if (!kept.contains(i)) throw new EngineException("vertex '" + name + "' reads '" + i + "', which the cut removes");
            }
            graph.addVertex(name, vertex, in.toArray(new String[0]));
            if (vertex.numParams(false) > 0) copied.add(name);
        }
        graph.setOutputs(output);
        ComputationGraph cut;
        try {
            cut = new ComputationGraph(BatchNormOutputs.apply(graph.build()));
            cut.init();
        } catch (RuntimeException e) {
            throw new EngineException("the engine cannot build the cut network: " + KerasEngine.firstLine(e.getMessage()), e);
        }
        for (String name : copied) {
            Map<String, INDArray> from = source.getVertex(name).paramTable(false);
            Map<String, INDArray> to = cut.getVertex(name).paramTable(false);
            for (Map.Entry<String, INDArray> p : from.entrySet()) {
                INDArray target = to.get(p.getKey());
                if (target == null || !Arrays.equals(target.shape(), p.getValue().shape())) {
                    throw new IllegalStateException("vertex '" + name + "' parameter " + p.getKey() + " does not match its copy");
                }
                target.assign(p.getValue());
            }
        }
        return EngineModel.ofNative(cut);
    }
}
