package dev.graft.engine.keras;

import dev.graft.engine.layers.StepRangeVertex;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * DL4J Keras-import plug-in for one output of a ConvLSTM returning its state, as the engine hands it over
 * ({@value #KERAS_CLASS}, config {@value #PART_KEY} = SEQUENCE, H or C): graft's {@link StepRangeVertex} on the layer's packed array.
 */
public class KerasConvLstmPartImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftConvLSTMPart";
    public static final String PART_KEY = "graft_part";

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasConvLstmPartImport.class);
    }

    public KerasConvLstmPartImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Object part = ClaimedConfig.inner(layerConfig).get(PART_KEY);
        try {
            this.vertex = new StepRangeVertex(StepRangeVertex.Part.valueOf(String.valueOf(part)));
        } catch (IllegalArgumentException e) {
            throw new InvalidKerasConfigurationException("layer '" + layerName + "': no ConvLSTM output part " + part);
        }
    }

    @Override
    public int getNumParams() {
        return 0;
    }

    @Override
    public InputType getOutputType(InputType... in) throws InvalidKerasConfigurationException {
        try {
            return vertex.getOutputType(-1, in);
        } catch (RuntimeException e) {
            throw new InvalidKerasConfigurationException("layer '" + layerName + "': " + e.getMessage());
        }
    }
}
