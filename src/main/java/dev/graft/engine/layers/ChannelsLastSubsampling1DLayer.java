package dev.graft.engine.layers;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link Subsampling1DLayer} as DL4J's Keras import configures Keras's channels-last
 * {@code MaxPooling1D} and {@code AveragePooling1D} (NWC in, NWC out, the same shape rules), computed
 * by {@link ChannelsLastSubsampling1DRuntime}: DL4J's NCW pooling between two axis swaps. DL4J
 * 1.0.0-M2.1's own NWC runtime computes the forward pass right, but its backward pass fails
 * ("New shape length doesn't match original length"), so nothing before such a layer could train.
 */
public class ChannelsLastSubsampling1DLayer extends Subsampling1DLayer {

    /** For JSON deserialisation (DL4J configurations and zips). */
    public ChannelsLastSubsampling1DLayer() {
    }

    /** The same layer computed through NCW. */
    public static ChannelsLastSubsampling1DLayer copyOf(Subsampling1DLayer parsed) {
        return LayerRecast.as(parsed, ChannelsLastSubsampling1DLayer.class);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        // As Subsampling1DLayer.instantiate, with the NCW runtime.
        return RuntimeWiring.wire(new ChannelsLastSubsampling1DRuntime(conf, networkDataType), this, conf, trainingListeners, layerIndex, layerParamsView, initializeParams);
    }
}
