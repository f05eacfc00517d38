package dev.graft.engine.keras;

import dev.graft.engine.layers.GruSpec;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

import java.util.Map;

/**
 * Reads a Keras-2-style {@code GRU} layer configuration (the {@code "config"} object of the layer in
 * {@code model_config}) into a {@link GruSpec}, refusing what the layer cannot compute.
 */
final class GruConfigParser {
    /** Layer-config key naming the {@code hard_sigmoid} definition (see {@link RecurrentConfig}). */
    static final String FLAVOR_KEY = RecurrentConfig.FLAVOR_KEY;
    /** Set by the engine when the GRU reads a Masking or Embedding(mask_zero) layer: the value masked steps hold. */
    public static final String MASK_VALUE_KEY = "graft_mask_value";

    private GruConfigParser() {
    }

    static GruSpec parse(Map<String, Object> inner, String layerName)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        RecurrentConfig c = new RecurrentConfig(inner, "GRU", layerName);
        c.refuse("return_state", "return_state=True (the layer returns its output only)");
        c.refuse("time_major", "time_major=True");
        HardSigmoidFlavor flavor = c.flavor();
        return new GruSpec(
                c.units(),
                c.flag("reset_after"),   // absent before Keras 2.1.3, where GRUs reset before
                c.flagOrTrue("use_bias"),
                c.activation("activation", flavor),
                c.activation("recurrent_activation", flavor),
                c.flag("return_sequences"),
                c.flag("go_backwards"),
                inner.get(MASK_VALUE_KEY) instanceof Number n ? n.doubleValue() : null,
                c.flag("zero_output_for_mask"));
    }
}
