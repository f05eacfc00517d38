package dev.graft.engine.keras;

import dev.graft.engine.layers.GluVertex;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * DL4J Keras-import plug-in for the engine's {@value #KERAS_CLASS} layers: Keras's {@code glu} activation, which the
 * engine writes for an {@code Activation('glu')} and after any layer whose {@code activation} is {@code glu}
 * ({@code GluSplit}): a {@link GluVertex}. Claims no argument ({@code activation} is always {@code glu} here).
 */
public class KerasGluImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftGlu";

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasGluImport.class);
    }

    public KerasGluImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        ClaimedConfig.check("glu", ClaimedConfig.inner(layerConfig), Set.of("activation"), Map.of());
        this.vertex = new GluVertex();
    }

    @Override
    public int getNumParams() {
        return 0;
    }

    @Override
    public InputType getOutputType(InputType... in) throws InvalidKerasConfigurationException {
        try {
            return ((GluVertex) vertex).getOutputType(-1, in);
        } catch (RuntimeException e) {
            throw new InvalidKerasConfigurationException(e.getMessage());
        }
    }
}
