package dev.graft.engine.keras;

import java.util.Map;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.layers.convolutional.KerasConvolution1D;
import org.deeplearning4j.nn.modelimport.keras.layers.convolutional.KerasConvolution2D;
import org.deeplearning4j.nn.modelimport.keras.layers.core.KerasActivation;
import org.deeplearning4j.nn.modelimport.keras.layers.core.KerasDense;

/**
 * DL4J Keras-import plug-ins for the layers whose activation DL4J lacks or defines otherwise than Keras
 * ({@link KerasActivations}): DL4J's own import of the layer, handed {@code activation: linear}, then graft's
 * activation set on what it built. Claimed configuration: everything DL4J's class reads, plus
 * {@value KerasActivations#CONFIG_KEY}; the engine refuses such activations on any other class.
 */
public final class KerasActivationArgumentImports {
    private KerasActivationArgumentImports() {
    }

    /** Registers the plug-ins with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KerasActivationNames.PLUGIN_CLASSES.get("Activation"), ActivationImport.class);
        KerasLayer.registerCustomLayer(KerasActivationNames.PLUGIN_CLASSES.get("Dense"), DenseImport.class);
        KerasLayer.registerCustomLayer(KerasActivationNames.PLUGIN_CLASSES.get("Conv1D"), Conv1DImport.class);
        KerasLayer.registerCustomLayer(KerasActivationNames.PLUGIN_CLASSES.get("Conv2D"), Conv2DImport.class);
    }

    /** {@code Activation} with graft's activation. */
    public static class ActivationImport extends KerasActivation {
        public ActivationImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
            super(layerConfig, false);
            KerasActivations.apply(layerConfig, layer);
        }
    }

    /** {@code Dense} with graft's activation. */
    public static class DenseImport extends KerasDense {
        public DenseImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
            super(layerConfig, false);
            KerasActivations.apply(layerConfig, layer);
        }
    }

    /** {@code Conv1D} with graft's activation. */
    public static class Conv1DImport extends KerasConvolution1D {
        public Conv1DImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
            super(layerConfig, false);
            KerasActivations.apply(layerConfig, layer);
        }
    }

    /** {@code Conv2D} with graft's activation. */
    public static class Conv2DImport extends KerasConvolution2D {
        public Conv2DImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
            super(layerConfig, false);
            KerasActivations.apply(layerConfig, layer);
        }
    }
}
