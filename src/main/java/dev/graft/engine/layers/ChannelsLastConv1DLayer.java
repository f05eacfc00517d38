package dev.graft.engine.layers;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link Convolution1DLayer} as DL4J's Keras import configures Keras's channels-last
 * {@code Conv1D} (NWC in, NWC out, the same shape rules and parameters), computed by
 * {@link ChannelsLastConv1DRuntime}: DL4J's NCW convolution between two axis swaps. DL4J 1.0.0-M2.1's
 * own NWC runtime computes the forward pass right but fails in the backward one ("CONV1D_BP OP:
 * wrong shape of output gradients"), so a channels-last Conv1D could predict but not train.
 */
public class ChannelsLastConv1DLayer extends Convolution1DLayer {

    /** For JSON deserialisation (DL4J configurations and zips). */
    public ChannelsLastConv1DLayer() {
    }

    /** The same layer computed through NCW. */
    public static ChannelsLastConv1DLayer copyOf(Convolution1DLayer parsed) {
        return LayerRecast.as(parsed, ChannelsLastConv1DLayer.class);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return Conv1DRuntimes.instantiate(this, ChannelsLastConv1DRuntime::new, conf, listeners, layerIndex, paramsView, initializeParams, networkDataType);
    }
}
