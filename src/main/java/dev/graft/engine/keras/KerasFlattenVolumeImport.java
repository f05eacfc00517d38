package dev.graft.engine.keras;

import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.preprocessor.Cnn3DToFeedForwardPreProcessor;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.layers.core.KerasFlatten;

/**
 * DL4J Keras-import plug-in for Keras 2/3's {@code Flatten} of a volume {@code (batch, depth, rows, cols, channels)}, handed
 * over as {@value #KERAS_CLASS}. DL4J 1.0.0-M2.1's own import inverts the layout for channels-last files: it flattens an
 * NDHWC-described volume as NCDHW (an error when the sizes differ, a wrong order when they do not; a Conv3DTranspose then
 * Flatten failed so). Here the preprocessor reads the layout the volume is described in.
 */
public class KerasFlattenVolumeImport extends KerasFlatten {
    public static final String KERAS_CLASS = "GraftFlattenVolume";

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasFlattenVolumeImport.class);
    }

    public KerasFlattenVolumeImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
    }

    @Override
    public InputPreProcessor getInputPreprocessor(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length == 1 && inputType[0] instanceof InputType.InputTypeConvolutional3D v) {
            return new Cnn3DToFeedForwardPreProcessor(v.getDepth(), v.getHeight(), v.getWidth(), v.getChannels(),
                    v.getDataFormat() == Convolution3D.DataFormat.NCDHW);
        }
        return super.getInputPreprocessor(inputType);
    }
}
