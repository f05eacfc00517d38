package dev.graft.format.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A MultiLayerNetwork as the equivalent chain-shaped ComputationGraph, with the same parameters.
 * Unlike DL4J's {@code toComputationGraph()}, vertices get graft's layer names (see
 * {@link MultiLayerNames}), and each layer keeps its whole saved configuration (DL4J rebuilds each
 * from defaults plus the layer).
 */
final class MultiLayerToGraph {
    private MultiLayerToGraph() {
    }

    /** The network's parameter array moves to the graph: {@code net} must not be used afterwards. */
    static ComputationGraph convert(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        MultiLayerNames names = MultiLayerNames.of(conf);
        NeuralNetConfiguration.Builder global = new NeuralNetConfiguration.Builder()
                .dataType(conf.getDataType())
                .trainingWorkspaceMode(conf.getTrainingWorkspaceMode())
                .inferenceWorkspaceMode(conf.getInferenceWorkspaceMode())
                .cacheMode(conf.getCacheMode());
        ComputationGraphConfiguration.GraphBuilder graph = global.graphBuilder()
                .addInputs(names.input())
                .backpropType(conf.getBackpropType())
                .tBPTTForwardLength(conf.getTbpttFwdLength())
                .tBPTTBackwardLength(conf.getTbpttBackLength())
                // A saved network is converted as it is: DL4J's checks of a new output layer's
                // activation/loss pairing would reject some old models that DL4J itself loads.
                .validateOutputLayerConfig(false);
        String previous = names.input();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            InputPreProcessor pre = conf.getInputPreProcess(i);
            NeuralNetConfiguration layerConf = conf.getConf(i).clone();
            // ComputationGraph finds a layer's vertex by the layer's own name (null in old zips).
            layerConf.getLayer().setLayerName(names.layers().get(i));
            LayerVertex vertex = new LayerVertex(layerConf, pre == null ? null : pre.clone());
            graph.addVertex(names.layers().get(i), vertex, previous);
            previous = names.layers().get(i);
        }
        graph.setOutputs(previous);

        ComputationGraph cg = new ComputationGraph(graph.build());
        // A chain's topological order is the layer order, so the flat parameter vector has the same layout.
        cg.init(net.params(), false);
        return cg;
    }
}
