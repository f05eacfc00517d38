package dev.graft.engine.keras;

import dev.graft.engine.layers.ScaleOffsetActivation;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * DL4J Keras-import plug-in for {@code Rescaling} ({@code x * scale + offset}), which DL4J lacks, handed over as
 * {@value #KERAS_CLASS}: an activation layer computing {@link ScaleOffsetActivation}. Claimed: {@code scale} and
 * {@code offset} as single numbers (a per-channel list is refused).
 */
public class KerasRescalingImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftRescaling";
    static final Set<String> CLAIMED = Set.of("scale", "offset");

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasRescalingImport.class);
    }

    public KerasRescalingImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> inner = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check("Rescaling", inner, CLAIMED, Map.of());
        double scale = ClaimedConfig.number("Rescaling", inner, "scale", Double.NaN);
        if (Double.isNaN(scale)) throw new UnsupportedKerasConfigurationException("layer '" + layerName + "' (Rescaling) has no scale");
        double offset = ClaimedConfig.number("Rescaling", inner, "offset", 0);
        this.layer = new ActivationLayer.Builder().activation(new ScaleOffsetActivation(scale, offset)).name(layerName).build();
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1) throw new InvalidKerasConfigurationException("Rescaling layer " + layerName + " takes one input");
        return inputType[0];
    }
}
