package dev.graft.engine.layers;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link PReLULayer} as DL4J's Keras import configures Keras's {@code PReLU} (the same shapes, shared axes and
 * parameter), computed by {@link PReLURuntime}, whose backward pass works when alpha is shared over many positions.
 */
public class GraftPReLULayer extends PReLULayer {

    /** For JSON deserialisation (DL4J configurations and zips). */
    public GraftPReLULayer() {
    }

    /** The same layer with graft's backward pass. */
    public static GraftPReLULayer copyOf(PReLULayer parsed) {
        return LayerRecast.as(parsed, GraftPReLULayer.class);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        // As PReLULayer.instantiate, with graft's runtime.
        return RuntimeWiring.wire(new PReLURuntime(conf, networkDataType), this, conf, listeners, layerIndex, paramsView, initializeParams);
    }
}
