package dev.graft.engine.keras;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.util.MaskZeroLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.layers.core.KerasMasking;
import org.nd4j.linalg.activations.Activation;

import java.util.Map;

/**
 * DL4J Keras-import plug-in for {@code Masking}, which the engine hands DL4J under {@value #KERAS_CLASS}.
 *
 * <p>DL4J's stock import makes a Masking layer {@code MaskZeroLayer(IdentityLayer)}, whose identity is a
 * SameDiff layer, and DL4J 1.0.0-M2.1 cannot run that one on an array outside every workspace:
 * {@code SameDiffLayer.activate} gets the input array itself back as the output and asks for its
 * workspace's id ({@code result.data().getParentWorkspace().getId()}), a NullPointerException for a
 * network input. So a Masking layer reading the model's input failed every forward pass, whatever followed it.
 *
 * <p>This plug-in builds the same layer around DL4J's {@link ActivationLayer} with the identity activation,
 * which leverages or copies its input into the activations workspace as DL4J's rules ask, and has no
 * parameters either. The values pass unchanged, as with DL4J's import (Keras itself zeroes masked steps,
 * which no masked layer reads): the layers that honour the mask take it from the mask value, DL4J's own
 * LSTM through its {@code MaskZeroLayer} wrapper (it finds this layer, a {@link KerasMasking}, as its
 * inbound layer) and graft's LSTM vertex from its config. Configurations hold DL4J classes only.
 */
public class KerasMaskingImport extends KerasMasking {

    /** The class name the engine gives Masking layers in the files it hands DL4J. */
    public static final String KERAS_CLASS = "GraftMasking";

    /** Registers the plug-in with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasMaskingImport.class);
    }

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasMaskingImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        this.layer = new MaskZeroLayer.Builder()
                .setMaskValue(getMaskingValue())
                .setUnderlying(new ActivationLayer.Builder().activation(Activation.IDENTITY).name(layerName).build())
                .name(layerName)
                .build();
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1) {
            throw new InvalidKerasConfigurationException("Masking layer " + layerName + " takes one input, got "
                    + inputType.length);
        }
        return getMaskingLayer().getOutputType(-1, inputType[0]);
    }
}
