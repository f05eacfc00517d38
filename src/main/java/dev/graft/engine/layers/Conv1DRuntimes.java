package dev.graft.engine.layers;

import java.util.Collection;
import java.util.function.BiFunction;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What DL4J's {@code Convolution1DLayer.instantiate} does, with one of graft's runtimes in place of DL4J's. */
final class Conv1DRuntimes {
    private Conv1DRuntimes() {
    }

    static org.deeplearning4j.nn.api.Layer instantiate(Convolution1DLayer config, BiFunction<NeuralNetConfiguration, DataType, ChannelsFirstConv1DRuntime> runtime,
                                                       NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet(config.getClass().getSimpleName(), config.getLayerName(), layerIndex, config.getNIn(), config.getNOut());
        return RuntimeWiring.wire(runtime.apply(conf, networkDataType), config, conf, listeners, layerIndex, paramsView, initializeParams);
    }
}
