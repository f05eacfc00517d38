package dev.graft.engine.keras;

import dev.graft.engine.layers.ChannelsLastConv2DLayer;
import java.util.Map;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.layers.convolutional.KerasConvolution2D;

/**
 * DL4J Keras-import plug-in for Keras's channels-last {@code Conv2D} in networks built for training:
 * DL4J 1.0.0-M2.1 imports and computes it forward but cannot backpropagate through its NHWC runtime.
 * The engine hands such layers to DL4J under {@value #KERAS_CLASS}; call {@link #register()} before
 * {@code KerasModelImport}.
 *
 * <p>Everything is DL4J's own {@link KerasConvolution2D} (configuration, shapes, the kernel's layout);
 * only the layer it built is recast as a {@link ChannelsLastConv2DLayer}, which computes the same
 * convolution through DL4J's NCHW runtime, whose backward pass works.
 */
public class KerasConv2DChannelsLastImport extends KerasConvolution2D {

    /** The class name the engine gives channels-last Conv2D layers in the files it hands DL4J. */
    public static final String KERAS_CLASS = "GraftConv2DChannelsLast";

    /** Registers the plug-in with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasConv2DChannelsLastImport.class);
    }

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasConv2DChannelsLastImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        // Not enforcing training-only settings: initializers are neutralised by the engine anyway.
        super(layerConfig, false);
        this.layer = ChannelsLastConv2DLayer.copyOf(getConvolution2DLayer());
        KerasActivations.apply(layerConfig, this.layer);
    }
}
