package dev.graft.engine.keras;

import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.nd4j.linalg.activations.Activation;

/**
 * DL4J Keras-import plug-in for Keras 3's {@code Identity}, handed over as {@value #KERAS_CLASS}: DL4J's activation
 * layer with the identity (not a SameDiff identity, which DL4J cannot run on a network input: see
 * {@link KerasMaskingImport}). Claims no argument.
 */
public class KerasIdentityImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftIdentity";

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasIdentityImport.class);
    }

    public KerasIdentityImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        ClaimedConfig.check("Identity", ClaimedConfig.inner(layerConfig), Set.of(), Map.of());
        this.layer = new ActivationLayer.Builder().activation(Activation.IDENTITY).name(layerName).build();
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1) throw new InvalidKerasConfigurationException("Identity layer " + layerName + " takes one input");
        return inputType[0];
    }
}
