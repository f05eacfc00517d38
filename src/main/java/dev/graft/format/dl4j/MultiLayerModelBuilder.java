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
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** A restored MultiLayerNetwork as graft's model: a chain from a synthetic input through every layer. */
final class MultiLayerModelBuilder {
    private MultiLayerModelBuilder() {
    }

    static ModelGraph build(String modelName, MultiLayerNetwork net, SourceInfo source) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        MultiLayerNames names = MultiLayerNames.of(conf);
        OutputTypes.MultiLayer types = OutputTypes.of(conf);

        List<Layer> layers = new ArrayList<>();
        layers.add(InputLayers.of(names.input(), types.input(), conf.getDataType()));
        List<org.deeplearning4j.nn.conf.layers.Layer> confLayers = new ArrayList<>();
        String previous = names.input();
        ObjectNode lastConfig = null;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            org.deeplearning4j.nn.conf.layers.Layer layerConf = conf.getConf(i).getLayer();
            confLayers.add(layerConf);
            String name = names.layers().get(i);
            ObjectNode config = LayerConfigs.of(layerConf, conf.getInputPreProcess(i), Trainability.frozen(layerConf));
            List<Weight> weights = ParamWeights.of(name, layerConf, false, net.getLayer(i).paramTable());
            Shape shape = KerasShapes.of(types.outputs()[i]);
            LayerCall call = new LayerCall(List.of(TensorRef.of(previous)), Json.object());
            layers.add(new Layer(name, layerConf.getClass().getSimpleName(), config, List.of(call), weights, null,
                    shape == null ? null : List.of(shape)));
            previous = name;
            lastConfig = config;
        }
        ObjectNode training = TrainingConfigs.of(Map.of(previous, lastConfig), confLayers);
        return new ModelGraph(modelName, NetworkKind.MULTI_LAYER_NETWORK.className(), layers, List.of(TensorRef.of(names.input())),
                List.of(TensorRef.of(previous)), training, null, source);
    }
}
