package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A restored ComputationGraph as graft's model: one layer per vertex, in DL4J's topological order,
 * named as the vertices are, wired as {@code vertexInputs} says; network inputs become InputLayers.
 */
final class GraphModelBuilder {
    private GraphModelBuilder() {
    }

    static ModelGraph build(String modelName, ComputationGraph net, SourceInfo source) {
        return build(modelName, net, source, Map.of());
    }

    /** @param inputTypes the network inputs' types where known beyond the configuration (a zip graft wrote records them) */
    static ModelGraph build(String modelName, ComputationGraph net, SourceInfo source, Map<String, InputType> inputTypes) {
        ComputationGraphConfiguration conf = net.getConfiguration();
        List<String> order = new ArrayList<>();
        for (int idx : net.topologicalSortOrder()) order.add(net.getVertices()[idx].getVertexName());
        Map<String, InputType> types = OutputTypes.of(conf, order, inputTypes);

        List<Layer> layers = new ArrayList<>();
        List<org.deeplearning4j.nn.conf.layers.Layer> confLayers = new ArrayList<>();
        Map<String, ObjectNode> configs = new LinkedHashMap<>();
        for (String name : order) {
            if (conf.getNetworkInputs().contains(name)) {
                layers.add(InputLayers.of(name, types.get(name), conf.getDataType()));
                continue;
            }
            GraphVertex vertex = conf.getVertices().get(name);
            boolean frozen = Trainability.frozen(vertex);
            GraphVertex inner = vertex instanceof FrozenVertex f ? f.getUnderlying() : vertex;
            org.deeplearning4j.nn.conf.layers.Layer layerConf = null;
            ObjectNode config;
            String className;
            if (inner instanceof LayerVertex lv) {
                layerConf = lv.getLayerConf().getLayer();
                confLayers.add(layerConf);
                frozen |= Trainability.frozen(layerConf);
                config = LayerConfigs.of(layerConf, lv.getPreProcessor(), frozen);
                className = layerConf.getClass().getSimpleName();
            } else {
                config = LayerConfigs.of(inner, frozen);
                className = inner.getClass().getSimpleName();
            }
            configs.put(name, config);
            List<Weight> weights = ParamWeights.of(name, layerConf, frozen, net.getVertex(name).paramTable(false));
            List<TensorRef> inputs = new ArrayList<>();
            for (String in : conf.getVertexInputs().getOrDefault(name, List.of())) inputs.add(TensorRef.of(in));
            Shape shape = KerasShapes.of(types.get(name));
            layers.add(new Layer(name, className, config, List.of(new LayerCall(inputs, Json.object())), weights, null,
                    shape == null ? null : List.of(shape)));
        }

        Map<String, ObjectNode> outputConfigs = new LinkedHashMap<>();
        List<TensorRef> outputs = new ArrayList<>();
        for (String out : conf.getNetworkOutputs()) {
            outputs.add(TensorRef.of(out));
            if (configs.containsKey(out)) outputConfigs.put(out, configs.get(out));
        }
        List<TensorRef> inputs = conf.getNetworkInputs().stream().map(TensorRef::of).toList();
        ObjectNode training = TrainingConfigs.of(outputConfigs, confLayers);
        return new ModelGraph(modelName, NetworkKind.COMPUTATION_GRAPH.className(), layers, inputs, outputs, training, null, source);
    }
}
