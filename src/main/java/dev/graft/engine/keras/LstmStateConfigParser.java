package dev.graft.engine.keras;

import dev.graft.engine.layers.LstmMaskedOutput;
import dev.graft.engine.layers.LstmSpec;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

import java.util.Locale;
import java.util.Map;

/**
 * Reads the configuration of an LSTM that graft's engine normaliser marked for the state vertex (Keras's
 * {@code LSTM} config plus the keys below) into an {@link LstmSpec}, refusing what the vertex cannot compute.
 *
 * <ul>
 *   <li>{@value #INITIAL_STATE_KEY}: true when the call passes {@code initial_state=[h, c]} (its second and
 *       third inputs);</li>
 *   <li>{@value #MASK_VALUE_KEY}: the value marking masked steps, when the sequence comes straight from a
 *       {@code mask_zero} Embedding (0) or a {@code Masking} layer; absent: no masking;</li>
 *   <li>{@value #MASKED_OUTPUT_KEY}: {@code "state"}, {@code "previous"} or {@code "zero"}, see {@link LstmMaskedOutput};</li>
 *   <li>{@value GruConfigParser#FLAVOR_KEY}: which Keras's {@code hard_sigmoid}, decided as for GRU.</li>
 * </ul>
 */
final class LstmStateConfigParser {

    static final String INITIAL_STATE_KEY = "graft_initial_state";
    static final String MASK_VALUE_KEY = "graft_mask_value";
    static final String MASKED_OUTPUT_KEY = "graft_masked_output";

    private LstmStateConfigParser() {
    }

    static LstmSpec parse(Map<String, Object> inner, String layerName)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        RecurrentConfig c = new RecurrentConfig(inner, "LSTM", layerName);
        c.refuse("stateful", "stateful=True");
        c.refuse("time_major", "time_major=True");
        int units = c.units();
        HardSigmoidFlavor flavor = c.flavor();
        Object mask = c.get(MASK_VALUE_KEY);
        if (mask != null && !(mask instanceof Number)) throw c.invalid(MASK_VALUE_KEY + " must be a number, got " + mask);
        return new LstmSpec(
                units,
                c.flagOrTrue("use_bias"),
                c.activation("activation", flavor),
                c.activation("recurrent_activation", flavor),
                c.flag("return_sequences"),
                c.flag("return_state"),
                c.flag(INITIAL_STATE_KEY),
                c.flag("go_backwards"),
                mask == null ? null : ((Number) mask).doubleValue(),
                maskedOutput(c.get(MASKED_OUTPUT_KEY), layerName));
    }

    private static LstmMaskedOutput maskedOutput(Object value, String layerName) throws InvalidKerasConfigurationException {
        if (value == null) {
            return LstmMaskedOutput.PREVIOUS;
        }
        try {
            return LstmMaskedOutput.valueOf(String.valueOf(value).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidKerasConfigurationException("LSTM layer " + layerName + ": " + MASKED_OUTPUT_KEY
                    + " must be \"state\", \"previous\" or \"zero\", got \"" + value + "\"");
        }
    }
}
