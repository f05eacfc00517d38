package dev.graft.engine.layers;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link SubsamplingLayer} as DL4J's Keras import configures Keras's channels-last
 * {@code MaxPooling2D} and {@code AveragePooling2D} (NHWC in, NHWC out, the same shape rules),
 * computed by {@link ChannelsLastSubsampling2DRuntime}: DL4J's NCHW pooling between two axis
 * permutations, so that the whole of a channels-last CNN backpropagates through DL4J's default layout.
 */
public class ChannelsLastSubsampling2DLayer extends SubsamplingLayer {

    /** For JSON deserialisation (DL4J configurations and zips). */
    public ChannelsLastSubsampling2DLayer() {
    }

    /** The same layer computed through NCHW. */
    public static ChannelsLastSubsampling2DLayer copyOf(SubsamplingLayer parsed) {
        return LayerRecast.as(parsed, ChannelsLastSubsampling2DLayer.class);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        // As SubsamplingLayer.instantiate, with the NCHW runtime.
        return RuntimeWiring.wire(new ChannelsLastSubsampling2DRuntime(conf, networkDataType), this, conf, trainingListeners, layerIndex, layerParamsView, initializeParams);
    }
}
