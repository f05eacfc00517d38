package dev.graft.engine.keras;

import dev.graft.engine.layers.SequenceFlattenPreprocessor;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.layers.core.KerasFlatten;

/**
 * DL4J Keras-import plug-in for Keras's {@code Flatten} of a sequence: DL4J's own import, with the
 * flattening step replaced by {@link SequenceFlattenPreprocessor}, whose backward pass gives the
 * gradient back in the input's shape. The engine hands such layers to DL4J under {@value #KERAS_CLASS};
 * call {@link #register()} before {@code KerasModelImport}.
 */
public class KerasFlattenSequenceImport extends KerasFlatten {

    /** The class name the engine gives a Flatten of a sequence in the files it hands DL4J. */
    public static final String KERAS_CLASS = "GraftFlattenSequence";

    /** Registers the plug-in with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasFlattenSequenceImport.class);
    }

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasFlattenSequenceImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
    }

    @Override
    public InputPreProcessor getInputPreprocessor(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length == 1 && inputType[0] instanceof InputType.InputTypeRecurrent r) {
            return new SequenceFlattenPreprocessor(r.getSize(), r.getTimeSeriesLength());
        }
        return super.getInputPreprocessor(inputType);
    }
}
