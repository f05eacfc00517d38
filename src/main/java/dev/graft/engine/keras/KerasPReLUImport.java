package dev.graft.engine.keras;

import dev.graft.engine.layers.GraftPReLULayer;
import java.util.Map;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.layers.advanced.activations.KerasPReLU;

/**
 * DL4J Keras-import plug-in for {@code PReLU}, which the engine hands DL4J under {@value #KERAS_CLASS}.
 * DL4J 1.0.0-M2.1's own {@link KerasPReLU} reports no parameters, so the importer never copies the
 * file's {@code alpha} and the layer computes with alpha = 0 (a ReLU) without a word. Saying that
 * it has one parameter array is all it takes for the weights to be loaded. The layer it builds is recast as a
 * {@link GraftPReLULayer}: the same forward pass, and a backward pass that works when alpha is shared over an
 * image's rows and columns (ND4J's {@code prelu_bp} refuses those).
 */
public class KerasPReLUImport extends KerasPReLU {
    /** The class name the engine gives PReLU layers in the files it hands DL4J. */
    public static final String KERAS_CLASS = "GraftPReLU";

    /** Registers the plug-in with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasPReLUImport.class);
    }

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasPReLUImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        this.layer = GraftPReLULayer.copyOf(getPReLULayer());
    }

    @Override
    public int getNumParams() {
        return 1;
    }
}
