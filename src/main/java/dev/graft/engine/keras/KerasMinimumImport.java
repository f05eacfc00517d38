package dev.graft.engine.keras;

import dev.graft.engine.layers.MinimumVertex;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * DL4J Keras-import plug-in for {@code Minimum}, which DL4J's import lacks, handed over as {@value #KERAS_CLASS}:
 * graft's {@link MinimumVertex}. Claims no argument (a merge has none).
 */
public class KerasMinimumImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftMinimum";

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasMinimumImport.class);
    }

    public KerasMinimumImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        ClaimedConfig.check("Minimum", ClaimedConfig.inner(layerConfig), Set.of(), Map.of());
        this.vertex = new MinimumVertex();
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        try {
            return vertex.getOutputType(-1, inputType);
        } catch (RuntimeException e) {
            throw new InvalidKerasConfigurationException("Minimum layer " + layerName + ": " + e.getMessage());
        }
    }
}
