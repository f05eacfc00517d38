package dev.graft.engine.keras;

import dev.graft.engine.layers.GruActivation;
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
        if (truthy(inner.get("stateful"))) {
            throw unsupported(layerName, "stateful=True");
        }
        if (truthy(inner.get("time_major"))) {
            throw unsupported(layerName, "time_major=True");
        }
        Object units = inner.get("units");
        if (!(units instanceof Number)) {
            throw new InvalidKerasConfigurationException("LSTM layer " + layerName + ": config has no integer 'units'");
        }
        var flavor = GruConfigParser.flavor(inner, layerName);
        Object mask = inner.get(MASK_VALUE_KEY);
        if (mask != null && !(mask instanceof Number)) {
            throw new InvalidKerasConfigurationException("LSTM layer " + layerName + ": " + MASK_VALUE_KEY
                    + " must be a number, got " + mask);
        }
        return new LstmSpec(
                ((Number) units).intValue(),
                !inner.containsKey("use_bias") || truthy(inner.get("use_bias")),
                activation(inner.get("activation"), "activation", flavor.activation(), layerName),
                activation(inner.get("recurrent_activation"), "recurrent_activation", flavor.activation(), layerName),
                truthy(inner.get("return_sequences")),
                truthy(inner.get("return_state")),
                truthy(inner.get(INITIAL_STATE_KEY)),
                truthy(inner.get("go_backwards")),
                mask == null ? null : ((Number) mask).doubleValue(),
                maskedOutput(inner.get(MASKED_OUTPUT_KEY), layerName));
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

    private static GruActivation activation(Object value, String field, GruActivation hardSigmoid, String layerName)
            throws UnsupportedKerasConfigurationException {
        String name = activationName(value);
        switch (name) {
            case "tanh": return GruActivation.TANH;
            case "sigmoid": return GruActivation.SIGMOID;
            case "hard_sigmoid": return hardSigmoid;
            case "linear": return GruActivation.LINEAR;
            case "relu": return GruActivation.RELU;
            default:
                throw unsupported(layerName, field + "='" + name + "' (supported: tanh, sigmoid, hard_sigmoid, linear, relu)");
        }
    }

    /** Keras writes activations as a name; some writers wrap it in a {class_name, config} object; None means linear. */
    private static String activationName(Object value) {
        if (value == null) {
            return "linear";
        }
        if (value instanceof Map<?, ?> m) {
            Object config = m.get("config");
            return String.valueOf(config instanceof String ? config : m.get("class_name"));
        }
        return String.valueOf(value);
    }

    private static boolean truthy(Object v) {
        return v instanceof Boolean && (Boolean) v;
    }

    private static UnsupportedKerasConfigurationException unsupported(String layerName, String what) {
        return new UnsupportedKerasConfigurationException("LSTM layer " + layerName + ": unsupported " + what);
    }
}
