package dev.graft.engine.keras;

import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.layers.convolutional.KerasUpsampling2D;

/**
 * DL4J Keras-import plug-in for Keras 2 and 3's channels-last {@code UpSampling2D}, handed over as {@value #KERAS_CLASS}.
 * DL4J 1.0.0-M2.1's import builds the layer channels first and describes its output as a channels-first image, so the
 * {@code Flatten} after it was given a channels-first flattening for a channels-last array and failed ("does not match
 * configuration"). The layer DL4J's own {@link KerasUpsampling2D} builds stays DL4J's {@link Upsampling2D}, set to NHWC,
 * and its output is described as the NHWC image it is.
 */
public class KerasUpSampling2DChannelsLastImport extends KerasUpsampling2D {
    public static final String KERAS_CLASS = "GraftUpSampling2DChannelsLast";

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasUpSampling2DChannelsLastImport.class);
    }

    public KerasUpSampling2DChannelsLastImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        getUpsampling2DLayer().setFormat(CNN2DFormat.NHWC);
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1 || !(inputType[0] instanceof InputType.InputTypeConvolutional in)) {
            throw new InvalidKerasConfigurationException("UpSampling2D layer " + layerName + " takes one image");
        }
        int[] size = getUpsampling2DLayer().getSize();
        return InputType.convolutional(in.getHeight() * size[0], in.getWidth() * size[1], in.getChannels(), CNN2DFormat.NHWC);
    }
}
