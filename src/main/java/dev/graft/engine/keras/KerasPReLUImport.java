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
 * it has one parameter array is all it takes for the weights to be loaded. In networks built for training the engine
 * hands it over as {@value #KERAS_CLASS_TRAINING} ({@link Training}): the layer is recast as a {@link GraftPReLULayer},
 * the same forward pass and a backward pass that works when alpha is shared over an image's rows and columns (ND4J's
 * {@code prelu_bp} refuses those). Networks built for computing keep DL4J's stock layer, so that a zip graft writes
 * from them restores in any DL4J application.
 */
public class KerasPReLUImport extends KerasPReLU {
    /** The class name the engine gives PReLU layers in the files it hands DL4J. */
    public static final String KERAS_CLASS = "GraftPReLU";
    /** The class name of PReLU layers in networks built for training. */
    public static final String KERAS_CLASS_TRAINING = "GraftPReLUTraining";

    /** Registers the plug-in with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasPReLUImport.class);
        KerasLayer.registerCustomLayer(KERAS_CLASS_TRAINING, Training.class);
    }

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasPReLUImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
    }

    /** The plug-in for networks built for training: DL4J's layer recast as a {@link GraftPReLULayer}. */
    public static final class Training extends KerasPReLUImport {
        public Training(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
            super(layerConfig);
            this.layer = GraftPReLULayer.copyOf(getPReLULayer());
        }
    }

    @Override
    public int getNumParams() {
        return 1;
    }
}
