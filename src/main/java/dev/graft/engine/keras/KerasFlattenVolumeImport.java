package dev.graft.engine.keras;

import dev.graft.engine.layers.VolumeFlattenPreprocessor;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.layers.core.KerasFlatten;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasLayerUtils;

/**
 * DL4J Keras-import plug-in for Keras's {@code Flatten} of a volume (a rank-5 array: the output of a 3-d convolution
 * or pooling). DL4J 1.0.0-M2.1 gets two things wrong there: its import builds the 3-d flattening step with the
 * channels-first flag the wrong way round for TensorFlow dimension ordering ({@code isNCDHW = format != NCDHW}), and
 * its 3-d pooling reports a wrong output size for channels-last volumes. Either fails with "Invalid input array" or
 * "does not match layer input size" (or, were the sizes to coincide, would flatten in another order). This one
 * builds the step from graft's own shape of the volume, which the engine writes under {@value #VOLUME_SHAPE_KEY}
 * as Keras holds it (the engine keeps a volume in Keras's own array order, channels last or first), so it
 * flattens as Keras's channels-last {@code Flatten} does, in that order. The engine hands such layers to DL4J under {@value #KERAS_CLASS};
 * call {@link #register()} before {@code KerasModelImport}.
 */
public class KerasFlattenVolumeImport extends KerasFlatten {

    /** The class name the engine gives a Flatten of a volume in the models it hands DL4J. */
    public static final String KERAS_CLASS = "GraftFlattenVolume";
    /** Layer-config key the engine writes: the volume's four sizes after the batch, in Keras's order. */
    public static final String VOLUME_SHAPE_KEY = "graft_volume_shape";

    private final long[] volume;

    /** Registers the plug-in with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasFlattenVolumeImport.class);
    }

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasFlattenVolumeImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> inner = KerasLayerUtils.getInnerLayerConfigFromConfig(layerConfig, conf);
        if (!(inner.get(VOLUME_SHAPE_KEY) instanceof List<?> dims) || dims.size() != 4) {
            throw new InvalidKerasConfigurationException("Flatten " + layerName + ": the engine gave no volume shape");
        }
        volume = new long[4];
        for (int i = 0; i < 4; i++) volume[i] = ((Number) dims.get(i)).longValue();
    }

    @Override
    public InputPreProcessor getInputPreprocessor(InputType... inputType) {
        return new VolumeFlattenPreprocessor(volume[0], volume[1], volume[2], volume[3]);
    }

    @Override
    public InputType getOutputType(InputType... inputType) {
        return InputType.feedForward(volume[0] * volume[1] * volume[2] * volume[3]);
    }
}
