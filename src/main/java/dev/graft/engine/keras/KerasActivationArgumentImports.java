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
    /** Class names the engine gives these layers in the files it hands DL4J. */
    public static final Map<String, String> KERAS_CLASSES = Map.of(
            "Activation", "GraftActivation",
            "Dense", "GraftDense",
            "Conv1D", "GraftConv1D",
            "Conv2D", "GraftConv2D");

    private KerasActivationArgumentImports() {
    }

    /** Registers the plug-ins with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer("GraftActivation", ActivationImport.class);
        KerasLayer.registerCustomLayer("GraftDense", DenseImport.class);
        KerasLayer.registerCustomLayer("GraftConv1D", Conv1DImport.class);
        KerasLayer.registerCustomLayer("GraftConv2D", Conv2DImport.class);
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
