package dev.graft.engine.layers;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link ConvolutionLayer} as DL4J's Keras import configures Keras's channels-last
 * {@code Conv2D} (NHWC in, NHWC out, the same shape rules and parameters), computed by
 * {@link ChannelsLastConv2DRuntime}: DL4J's NCHW convolution between two axis permutations. DL4J
 * 1.0.0-M2.1's own NHWC runtime computes the forward pass right, but its backward pass hands the
 * input gradient to the layer's (keep-everything) dropout as NCHW against an NHWC mask ("MULTIPLY OP:
 * the shapes ... are not suitable for broadcast"), so a channels-last CNN could predict but not train.
 */
public class ChannelsLastConv2DLayer extends ConvolutionLayer {

    /** For JSON deserialisation (DL4J configurations and zips). */
    public ChannelsLastConv2DLayer() {
    }

    /** The same layer computed through NCHW. */
    public static ChannelsLastConv2DLayer copyOf(ConvolutionLayer parsed) {
        return LayerRecast.as(parsed, ChannelsLastConv2DLayer.class);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        // As ConvolutionLayer.instantiate, with the NCHW runtime.
        LayerValidation.assertNInNOutSet("ConvolutionLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return RuntimeWiring.wire(new ChannelsLastConv2DRuntime(conf, networkDataType), this, conf, listeners, layerIndex, paramsView, initializeParams);
    }
}
